import type { Principal } from '@engine/platform';
import { fold } from '../domain/shared/domain-event';
import { roundDecider, type RoundState } from '../domain/round/round.decider';
import type { RoundEvent } from '../domain/round/round.events';

/** A round issued by Wuxi (js.wuxi), opened and never publicised: what the reach specs judge. */
export const wuxiRound: RoundState = fold(roundDecider, [
  {
    type: 'RoundCreated',
    data: {
      roundId: 'r-1',
      programme: 'eaglet',
      year: 2024,
      batch: 1,
      title: 'Wuxi eaglets 2024',
      jurisdiction: 'js.wuxi',
      opensAt: '2024-03-01T00:00:00.000Z',
      closesAt: '2024-04-01T00:00:00.000Z',
      quota: null,
      policyVersion: 'eaglet/wuxi-2024',
    },
  },
] as RoundEvent[]);

/** A round id nobody opened. */
export const absentRound: RoundState = fold(roundDecider, []);

export const officer = (jurisdiction: string): Principal => ({
  sub: `o-${jurisdiction}`,
  role: 'officer',
  jurisdiction,
});

export const auditor: Principal = { sub: 'a-1', role: 'auditor' };

/** The domain error an access check throws (kind, code, message), or undefined when it lets the caller through. */
export const refusal = (act: () => unknown) => {
  try {
    act();
  } catch (error) {
    const { kind, code, message } = error as { kind: string; code: string; message: string };
    return { kind, code, message };
  }
  return undefined;
};
