import { conflict } from '../shared/domain-error';
import type { Decider } from '../shared/domain-event';
import type { EnterpriseEvent, SealedContact } from './enterprise.events';

export interface EnterpriseState {
  registered: boolean;
  creditCode?: string;
  name?: string;
  jurisdiction?: string;
  establishedOn?: string;
}

export interface RegisterEnterprise {
  creditCode: string;
  name: string;
  jurisdiction: string;
  establishedOn: string;
  contact?: SealedContact;
}

export const enterpriseDecider: Decider<EnterpriseState, EnterpriseEvent> = {
  initialState: () => ({ registered: false }),
  evolve(state, event) {
    switch (event.type) {
      case 'EnterpriseRegistered': {
        const { contact: _sealed, ...data } = event.data;
        return { registered: true, ...data };
      }
    }
  },
};

/** An enterprise registers once; its credit code is its identity. */
export function registerEnterprise(
  state: EnterpriseState,
  command: RegisterEnterprise,
  today: string,
): EnterpriseEvent[] {
  if (state.registered)
    throw conflict('ENTERPRISE_EXISTS', `enterprise ${command.creditCode} is already registered`);
  if (command.establishedOn > today) {
    throw conflict(
      'ESTABLISHED_IN_FUTURE',
      `establishedOn ${command.establishedOn} is after today (${today})`,
    );
  }
  return [{ type: 'EnterpriseRegistered', data: { ...command } }];
}
