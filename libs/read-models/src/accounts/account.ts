import type { SealedPersonalData } from '@engine/platform';

/**
 * An account's record: its stream `account-<id>` (docs/events.md). Pure: the events, the
 * state they fold to, and the decisions an account command makes. Personal data (login, name,
 * email, mobile, contact person) travels only sealed; password hashes, TOTP secrets and
 * sessions never enter the store.
 */
export const accountStream = (accountId: string) => `account-${accountId}`;

export const ACCOUNT_ROLES = ['enterprise', 'officer', 'expert', 'auditor', 'admin'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

/** What the role needs to know where it acts. */
export interface AccountScope {
  role: AccountRole;
  /** Officers: their jurisdiction. */
  jurisdiction?: string;
  /** Enterprises: their credit code. */
  org?: string;
  /** Experts: their field and the enterprises they are affiliated with (conflicts). */
  field?: string;
  affiliations?: string[];
}

export type AccountSource = 'admin' | 'cli' | 'self-registration' | 'oidc';

export interface AccountCreated extends AccountScope {
  accountId: string;
  source: AccountSource;
  /** login, name and contact data, sealed with the personal-data vault. */
  personal: SealedPersonalData;
}

export type AccountEvent =
  | { type: 'AccountCreated'; data: AccountCreated }
  | { type: 'AccountDisabled'; data: { accountId: string; reason?: string } }
  | { type: 'AccountEnabled'; data: { accountId: string } }
  | { type: 'RoleChanged'; data: { accountId: string; from: AccountScope; to: AccountScope } }
  | {
      type: 'PasswordChanged';
      data: { accountId: string; how: 'self' | 'admin-reset' | 'reset-link' };
    }
  | { type: 'TotpEnabled'; data: { accountId: string } }
  | { type: 'TotpDisabled'; data: { accountId: string; how: 'self' | 'admin' } }
  | { type: 'RecoveryCodesIssued'; data: { accountId: string; count: number } };

export type AccountEventType = AccountEvent['type'];
export const ACCOUNT_EVENT_TYPES: readonly AccountEventType[] = [
  'AccountCreated',
  'AccountDisabled',
  'AccountEnabled',
  'RoleChanged',
  'PasswordChanged',
  'TotpEnabled',
  'TotpDisabled',
  'RecoveryCodesIssued',
];

export interface AccountState extends AccountScope {
  accountId: string;
  status: 'active' | 'disabled';
  totp: boolean;
  source: AccountSource;
}

export function evolve(state: AccountState | undefined, event: AccountEvent): AccountState | undefined {
  if (event.type === 'AccountCreated') {
    const { personal: _personal, ...rest } = event.data;
    return { ...rest, status: 'active', totp: false };
  }
  if (!state) return state;
  switch (event.type) {
    case 'AccountDisabled':
      return { ...state, status: 'disabled' };
    case 'AccountEnabled':
      return { ...state, status: 'active' };
    case 'RoleChanged': {
      const { role, jurisdiction, org, field, affiliations } = event.data.to;
      return { ...state, role, jurisdiction, org, field, affiliations };
    }
    case 'TotpEnabled':
      return { ...state, totp: true };
    case 'TotpDisabled':
      return { ...state, totp: false };
    case 'PasswordChanged':
    case 'RecoveryCodesIssued':
      return state;
  }
}

/** A refused account command: `code` is the HTTP error code, `status` its status. */
export class AccountError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 422,
    readonly code: string,
    message: string,
    /** The request field at fault, when there is one (becomes the error's `details`). */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'AccountError';
  }
}

/** Checks that a scope carries what its role needs, and nothing a role may not hold. */
export function normalizeScope(scope: AccountScope): AccountScope {
  const { role } = scope;
  if (!(ACCOUNT_ROLES as readonly string[]).includes(role))
    throw new AccountError(
      400,
      'VALIDATION_FAILED',
      `role must be one of ${ACCOUNT_ROLES.join(', ')}`,
      'role',
    );
  if (role === 'officer') {
    if (!scope.jurisdiction)
      throw new AccountError(
        400,
        'VALIDATION_FAILED',
        'an officer needs a jurisdiction such as js.wuxi.xinwu',
        'jurisdiction',
      );
    return { role, jurisdiction: scope.jurisdiction };
  }
  if (role === 'enterprise') {
    if (!scope.org)
      throw new AccountError(
        400,
        'VALIDATION_FAILED',
        'an enterprise account needs its credit code (org)',
        'org',
      );
    return { role, org: scope.org };
  }
  if (role === 'expert') {
    if (!scope.field)
      throw new AccountError(
        400,
        'VALIDATION_FAILED',
        'an expert needs a field (e.g. finance, ic-design)',
        'field',
      );
    return { role, field: scope.field, affiliations: [...(scope.affiliations ?? [])] };
  }
  return { role };
}

export type AccountCommand =
  | { kind: 'disable'; reason?: string }
  | { kind: 'enable' }
  | { kind: 'change-role'; to: AccountScope }
  | { kind: 'change-password'; how: 'self' | 'admin-reset' | 'reset-link' }
  | { kind: 'enable-totp' }
  | { kind: 'disable-totp'; how: 'self' | 'admin' }
  | { kind: 'issue-recovery-codes'; count: number };

/** The events a command on an existing account makes, or an AccountError. No I/O. */
export function decide(state: AccountState | undefined, command: AccountCommand): AccountEvent[] {
  if (!state) throw new AccountError(404, 'NOT_FOUND', 'no such account');
  const accountId = state.accountId;
  switch (command.kind) {
    case 'disable':
      if (state.status === 'disabled') return [];
      return [
        {
          type: 'AccountDisabled',
          data: { accountId, ...(command.reason ? { reason: command.reason } : {}) },
        },
      ];
    case 'enable':
      return state.status === 'active' ? [] : [{ type: 'AccountEnabled', data: { accountId } }];
    case 'change-role': {
      const to = normalizeScope(command.to);
      const from: AccountScope = normalizeScope(state);
      if (JSON.stringify(from) === JSON.stringify(to)) return [];
      if ((from.role === 'enterprise') !== (to.role === 'enterprise'))
        throw new AccountError(
          422,
          'ROLE_CHANGE_REFUSED',
          "an enterprise's account stays an enterprise account: create a separate account instead",
        );
      return [{ type: 'RoleChanged', data: { accountId, from, to } }];
    }
    case 'change-password':
      return [{ type: 'PasswordChanged', data: { accountId, how: command.how } }];
    case 'enable-totp':
      return [{ type: 'TotpEnabled', data: { accountId } }];
    case 'disable-totp':
      return state.totp ? [{ type: 'TotpDisabled', data: { accountId, how: command.how } }] : [];
    case 'issue-recovery-codes':
      return [{ type: 'RecoveryCodesIssued', data: { accountId, count: command.count } }];
  }
}
