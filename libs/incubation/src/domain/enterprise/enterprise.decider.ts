import { conflict, ruleViolated } from '../shared/domain-error';
import { type Decider, unknownCommand } from '../shared/domain-event';
import type { EnterpriseEvent, SealedContact } from './enterprise.events';

export interface EnterpriseState {
  registered: boolean;
  creditCode?: string;
  name?: string;
  jurisdiction?: string;
  establishedOn?: string;
  /** Memberships ever granted, by programme (their status lives in each membership's stream). */
  memberships?: { membershipId: string; programme: string }[];
  /** Barred from applying until this day (inclusive), after fraud or serious dishonesty. */
  bannedUntil?: string;
}

export interface RegisterEnterprise {
  creditCode: string;
  name: string;
  jurisdiction: string;
  establishedOn: string;
  contact?: SealedContact;
}

export type EnterpriseCommand =
  | { type: 'RegisterEnterprise'; data: RegisterEnterprise; today: string }
  | { type: 'RecordMembership'; membership: { membershipId: string; programme: string; validFrom: string } }
  | { type: 'BanEnterprise'; ban: { until: string; reason: string; membershipId: string } };

export const enterpriseDecider: Decider<EnterpriseState, EnterpriseCommand, EnterpriseEvent> = {
  decide(command, state) {
    switch (command.type) {
      case 'RegisterEnterprise':
        return registerEnterprise(state, command.data, command.today);
      case 'RecordMembership':
        return recordMembership(state, command.membership);
      case 'BanEnterprise':
        return banEnterprise(state, command.ban);
      default:
        return unknownCommand(command);
    }
  },
  initialState: () => ({ registered: false }),
  evolve(state, event) {
    switch (event.type) {
      case 'EnterpriseRegistered': {
        const { contact: _sealed, ...data } = event.data;
        return { ...state, registered: true, ...data };
      }
      case 'EnterpriseMembershipRecorded':
        return {
          ...state,
          memberships: [
            ...(state.memberships ?? []),
            { membershipId: event.data.membershipId, programme: event.data.programme },
          ],
        };
      case 'EnterpriseBanned':
        return {
          ...state,
          bannedUntil:
            !state.bannedUntil || event.data.until > state.bannedUntil ? event.data.until : state.bannedUntil,
        };
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
    // A business rule about the input, not a state conflict: 422, not 409.
    throw ruleViolated(
      'ESTABLISHED_IN_FUTURE',
      `establishedOn ${command.establishedOn} is after today (${today})`,
    );
  }
  return [{ type: 'EnterpriseRegistered', data: { ...command } }];
}

export function recordMembership(
  state: EnterpriseState,
  membership: { membershipId: string; programme: string; validFrom: string },
): EnterpriseEvent[] {
  if (state.memberships?.some((m) => m.membershipId === membership.membershipId)) return [];
  return [{ type: 'EnterpriseMembershipRecorded', data: membership }];
}

export function banEnterprise(
  state: EnterpriseState,
  ban: { until: string; reason: string; membershipId: string },
): EnterpriseEvent[] {
  if (state.bannedUntil && state.bannedUntil >= ban.until) return [];
  return [{ type: 'EnterpriseBanned', data: ban }];
}
