import fc from 'fast-check';
import { judgePanel, panelMean, panelPasses, panelResult } from './panel';
import { Rational } from './rational';

describe('expert panel verdicts', () => {
  describe('given the national reference "total above 70" (comparison ">")', () => {
    it.each([
      [[70, 70, 70, 70, 70], false, '70'],
      [[71, 71, 71, 71, 71], true, '71'],
      [[70, 70, 70, 70, 71], true, '70.2'],
      [[69, 70, 70, 70, 71], false, '70'],
      [[90, 60, 55, 75, 70], false, '70'],
    ])('when the scores are %p, then passed is %s (mean %s)', (scores, passed, mean) => {
      expect(panelPasses(scores, 70, '>')).toBe(passed);
      expect(panelResult(scores, 70, '>')).toMatchObject({ passed, meanText: mean, required: '> 70' });
    });
  });

  describe('given an inclusive threshold ">= 70"', () => {
    it.each([
      [[70, 70, 70, 70, 70], true],
      [[69, 70, 70, 70, 70], false],
    ])('when the scores are %p, then passed is %s', (scores, passed) => {
      expect(panelPasses(scores, 70, '>=')).toBe(passed);
    });
  });

  it('given scores whose mean repeats (211/3), when judged against 70.33, then the comparison is exact', () => {
    expect(panelMean([70, 70, 71]).eq(Rational.of(211, 3))).toBe(true);
    expect(panelPasses([70, 70, 71], 70.33, '>')).toBe(true); // 70.333... > 70.33
    expect(panelPasses([70, 70, 71], 70.34, '>=')).toBe(false);
    expect(panelResult([70, 70, 71], 70, '>').meanText).toBe('≈ 70.33');
    expect(panelResult([70, 70, 71], 70.33, '>').meanText).toBe('≈ 70.333');
    expect(panelResult([70, 70, 71], 70.333, '>').meanText).toBe('≈ 70.3333');
  });

  it("given a policy's panel settings, when judged, then its threshold and comparison are used", () => {
    const settings = {
      size: 5,
      passThreshold: 70,
      comparison: '>' as const,
      scoringWorkingDays: 10,
      poolMultiple: 3,
      expertSees: [],
      disclosure: 'none' as const,
    };
    expect(judgePanel([70, 70, 70, 70, 71], settings).passed).toBe(true);
    expect(judgePanel([70, 70, 70, 70, 70], settings).passed).toBe(false);
  });

  it('given no scores or a score that is not a number, when judged, then it is refused', () => {
    expect(() => panelPasses([], 70, '>')).toThrow(RangeError);
    expect(() => panelPasses([70, Number.NaN], 70, '>')).toThrow(RangeError);
  });

  it('property: for integer scores 0-100, the verdict equals the integer test sum > threshold × n', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 15 }),
        fc.integer({ min: 0, max: 100 }),
        (scores, threshold) => {
          const sum = scores.reduce((a, b) => a + b, 0);
          return (
            panelPasses(scores, threshold, '>') === sum > threshold * scores.length &&
            panelPasses(scores, threshold, '>=') === sum >= threshold * scores.length
          );
        },
      ),
    );
  });
});
