import { conflict } from '../shared/domain-error';
import type { Decider } from '../shared/domain-event';
import type { ExpertPoolEvent, ExpertProfile } from './expert-pool.events';

export interface ExpertPoolState {
  experts: Record<string, ExpertProfile>;
}

/**
 * The expert pool is one aggregate: a panel is drawn from the whole pool as it stands, and an
 * expert id is unique within it.
 */
export type ExpertPoolCommand = { type: 'RegisterExpert'; expert: ExpertProfile };

export const expertPoolDecider: Decider<ExpertPoolState, ExpertPoolCommand, ExpertPoolEvent> = {
  decide: (command, state) => registerExpert(state, command.expert),
  initialState: () => ({ experts: {} }),
  evolve(state, event) {
    switch (event.type) {
      case 'ExpertRegistered':
        return { experts: { ...state.experts, [event.data.id]: event.data } };
    }
  },
};

export function registerExpert(state: ExpertPoolState, expert: ExpertProfile): ExpertPoolEvent[] {
  if (state.experts[expert.id]) throw conflict('EXPERT_EXISTS', `expert ${expert.id} is already in the pool`);
  return [{ type: 'ExpertRegistered', data: { ...expert, affiliations: [...new Set(expert.affiliations)] } }];
}
