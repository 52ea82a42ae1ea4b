import type { Kysely } from 'kysely';
import type { ReadModelDatabase } from '../database';

/** Row types of the account tables (migration 0005_accounts). Instants are ISO 8601 UTC text. */
export interface AccountsTable {
  account_id: string;
  /** Lower-cased, trimmed: logins are unique whatever their case. */
  login: string;
  /** `<issuer>#<sub>` of an account that signs in through OpenID Connect. */
  external_id: string | null;
  role: string;
  jurisdiction: string | null;
  org: string | null;
  name: string;
  status: 'pending' | 'active' | 'disabled';
  /** The stream revision this row reflects. */
  revision: number;
  totp_enabled: number;
  created_at: string;
  updated_at: string;
}

export interface AuthCredentialsTable {
  account_id: string;
  /** argon2id PHC string; null for accounts that only sign in through the identity provider. */
  password_hash: string | null;
  password_changed_at: string | null;
  /** The TOTP secret, sealed with the personal-data vault (JSON). */
  totp_secret: string | null;
  /** A secret offered at enrolment, not yet confirmed with a code (sealed JSON). */
  totp_pending: string | null;
  /** The last TOTP time step accepted: a code is never accepted twice. */
  totp_last_step: number | null;
  /** JSON array of SHA-256 hex digests of the unused recovery codes. */
  recovery_codes: string | null;
}

export interface AuthSessionsTable {
  /** SHA-256 (hex) of the session id: the cookie's value is never stored. */
  session_hash: string;
  account_id: string;
  csrf: string;
  /** 1 while the account must enrol a second factor before doing anything else. */
  mfa_enrolment: number;
  created_at: string;
  last_seen_at: string;
  /** The absolute end, whatever the activity. */
  expires_at: string;
}

export interface AuthTokensTable {
  /** SHA-256 (hex) of the token handed out (in a link or a cookie). */
  token_hash: string;
  purpose: 'password-reset' | 'oidc-login';
  account_id: string | null;
  payload: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface AccountSchema {
  accounts: AccountsTable;
  auth_credentials: AuthCredentialsTable;
  auth_sessions: AuthSessionsTable;
  auth_tokens: AuthTokensTable;
}

/** The read-model database's writer, typed for the account tables (kept out of schema.ts). */
export function accountDb(db: ReadModelDatabase): Kysely<AccountSchema> {
  return db.writer as unknown as Kysely<AccountSchema>;
}
