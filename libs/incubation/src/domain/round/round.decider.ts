import { conflict, invalid } from '../shared/domain-error';
import type { Decider } from '../shared/domain-event';
import type { RoundEvent, RoundOpenedData } from './round.events';

export type RoundStatus = 'scheduled' | 'open' | 'closed' | 'in-publicity' | 'finalized';

export interface RoundState {
  exists: boolean;
  round?: RoundOpenedData;
  closedAt?: string;
}

export const roundDecider: Decider<RoundState, RoundEvent> = {
  initialState: () => ({ exists: false }),
  evolve(state, event) {
    switch (event.type) {
      case 'RoundCreated':
        return { exists: true, round: event.data };
      case 'RoundClosed':
        return { ...state, closedAt: event.data.closedAt };
    }
  },
};

/** Status at an instant: the window opens and closes by itself; an officer may close it early. */
export function roundStatus(state: RoundState, now: Date): RoundStatus {
  const round = state.round!;
  if (state.closedAt) return 'closed';
  if (now.getTime() < Date.parse(round.opensAt)) return 'scheduled';
  if (now.getTime() >= Date.parse(round.closesAt)) return 'closed';
  return 'open';
}

/** Is `now` inside the round's submission window? */
export function isWithinWindow(state: RoundState, now: Date): boolean {
  return roundStatus(state, now) === 'open';
}

export function createRound(state: RoundState, command: RoundOpenedData, now: Date): RoundEvent[] {
  if (state.exists) throw conflict('ROUND_EXISTS', `round ${command.roundId} already exists`);
  if (Date.parse(command.closesAt) <= Date.parse(command.opensAt)) {
    throw invalid('WINDOW_INVALID', 'closesAt must be after opensAt', [
      { field: 'closesAt', message: 'must be after opensAt' },
    ]);
  }
  if (Date.parse(command.closesAt) <= now.getTime()) {
    throw invalid('WINDOW_IN_PAST', 'the round would close before it is created', [
      { field: 'closesAt', message: 'must be in the future' },
    ]);
  }
  return [{ type: 'RoundCreated', data: command }];
}

export function closeRound(state: RoundState, now: Date, reason: string): RoundEvent[] {
  const status = roundStatus(state, now);
  if (state.closedAt) throw conflict('ROUND_CLOSED', 'the round is already closed');
  if (status !== 'open' && status !== 'scheduled' && status !== 'closed') {
    throw conflict('ROUND_NOT_OPEN', `a round in status ${status} cannot be closed`);
  }
  return [{ type: 'RoundClosed', data: { closedAt: now.toISOString(), reason } }];
}
