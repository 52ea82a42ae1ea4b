import { ManualClock } from './clock';

describe('manual clock', () => {
  it('stands still until moved, and tells listeners where it moved to', () => {
    const clock = new ManualClock(new Date('2026-09-30T16:00:00Z'));
    const heard: string[] = [];
    clock.onChange((now) => heard.push(now.toISOString()));
    expect(clock.now().toISOString()).toBe('2026-09-30T16:00:00.000Z');
    clock.advance(24 * 3600 * 1000);
    clock.set(new Date('2026-10-09T00:00:00Z'));
    expect(clock.now().toISOString()).toBe('2026-10-09T00:00:00.000Z');
    expect(heard).toEqual(['2026-10-01T16:00:00.000Z', '2026-10-09T00:00:00.000Z']);
  });

  it('hands out copies, so a caller cannot move time by mutating a Date', () => {
    const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
    clock.now().setFullYear(1999);
    expect(clock.now().getUTCFullYear()).toBe(2026);
    expect(() => clock.set(new Date('not a date'))).toThrow(RangeError);
  });
});
