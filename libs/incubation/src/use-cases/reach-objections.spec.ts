import type { Principal } from '@engine/platform';
import { objectionSight } from './reach';
import { officer } from '../testing/reach-fixtures';

const sight = (principal: Principal) => {
  try {
    return objectionSight(principal, 'js.wuxi', 'js.wuxi.xinwu');
  } catch (error) {
    const { kind, code, message } = error as { kind: string; code: string; message: string };
    return { kind, code, message };
  }
};

describe('who sees an objection', () => {
  it("shows the objector in full to auditors and the round's officers, at or above its issuer", () => {
    expect(sight({ sub: 'a', role: 'auditor' })).toBe('full');
    expect(sight(officer('js.wuxi'))).toBe('full');
    expect(sight(officer('js'))).toBe('full');
  });

  it("shows it masked to officers over the application's district only", () => {
    expect(sight(officer('js.wuxi.xinwu'))).toBe('masked');
  });

  it('answers anyone else "no such objection"', () => {
    const noSuch = { kind: 'not-found', code: 'OBJECTION_NOT_FOUND', message: 'no such objection' };
    expect(sight(officer('js.suzhou'))).toEqual(noSuch);
    expect(sight(officer('js.wuxi.liangxi'))).toEqual(noSuch);
    expect(sight({ sub: 'e', role: 'enterprise', org: 'x' })).toEqual(noSuch);
  });
});
