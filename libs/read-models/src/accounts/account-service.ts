import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { generateSecret, generateURI, verify as verifyTotpCode } from 'otplib';
import { type Actor, type EventStore, type NewEvent, WrongExpectedRevisionError } from '@engine/event-store';
import { isSealedPersonalData, type PersonalDataVault } from '@engine/platform';
import type { ReadModelDatabase } from '../database';
import {
  type AccountCommand,
  AccountError,
  type AccountEvent,
  type AccountScope,
  type AccountSource,
  type AccountState,
  accountStream,
  decide,
  evolve,
  normalizeScope,
} from './account';
import { accountDb, type AccountsTable } from './account-tables';
import { hashPassword, passwordProblem, verifyPassword } from './passwords';

export interface AccountServiceOptions {
  store: EventStore;
  db: ReadModelDatabase;
  vault: PersonalDataVault;
  now: () => Date;
  /** A session ends after this long without a request. */
  sessionIdleMs: number;
  /** A session ends this long after sign-in, however active. */
  sessionAbsoluteMs: number;
  /** Shown in authenticator apps. */
  totpIssuer?: string;
}

/** What the api shows of an account (never a hash, a secret or contact data). */
export interface AccountView extends AccountScope {
  id: string;
  login: string;
  name: string;
  status: 'active' | 'disabled';
  totp: boolean;
  source: AccountSource;
  createdAt: string;
}

export interface NewAccount {
  /** Chosen by the caller (an expert's pool id) or generated. */
  accountId?: string;
  login: string;
  /** Omitted for accounts that sign in through the identity provider only. */
  password?: string;
  name: string;
  email?: string;
  mobile?: string;
  contactPerson?: string;
  scope: AccountScope;
  source: AccountSource;
  externalId?: string;
}

export interface EventContext {
  actor: Actor;
  correlationId?: string;
}

/** A browser session, as the guard sees it. */
export interface SessionView {
  account: AccountsTable;
  csrf: string;
  mfaEnrolment: boolean;
  expiresAt: string;
}

const LOGIN = /^[\p{L}\p{N}._@+-]{3,64}$/u;
const ACCOUNT_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export const normalizeLogin = (login: string) => login.trim().toLowerCase();
export const digest = (value: string) => createHash('sha256').update(value).digest('hex');
const token = () => randomBytes(32).toString('base64url');

/**
 * Accounts as events, with the sign-in state beside them in the read-model database
 * (docs/security.md, Sign-in). Used by the api and by `npm run cli -- users add`.
 *
 * Every change appends to `account-<id>` with the exact expected revision, then writes the
 * `accounts` row (and, for a disable or a role change, deletes the account's sessions) in one
 * read-model transaction. Were the process to die between the two, the next command on the
 * account folds its stream and writes the row again before deciding.
 */
export class AccountService {
  private readonly db;

  constructor(private readonly options: AccountServiceOptions) {
    this.db = accountDb(options.db);
  }

  private now(): Date {
    return this.options.now();
  }

  // ---- accounts -------------------------------------------------------------------------

  async create(input: NewAccount, context: EventContext): Promise<AccountView> {
    const login = normalizeLogin(input.login);
    if (!LOGIN.test(login))
      throw new AccountError(
        400,
        'VALIDATION_FAILED',
        'login must be 3 to 64 letters, digits or . _ @ + -',
        'login',
      );
    const accountId = input.accountId ?? `acc-${randomUUID()}`;
    if (!ACCOUNT_ID.test(accountId))
      throw new AccountError(400, 'VALIDATION_FAILED', 'id must be 1 to 64 letters, digits or . _ : -', 'id');
    const scope = normalizeScope(input.scope);
    if (input.password !== undefined) {
      const problem = passwordProblem(input.password, login);
      if (problem) throw new AccountError(400, 'WEAK_PASSWORD', problem, 'password');
    }
    const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
    const at = this.now().toISOString();
    await this.reserve(accountId, login, input, scope, at);
    try {
      const vault = this.options.vault;
      const subject = input.email ? vault.subjectFor('email', input.email) : `account:${accountId}`;
      const personal = await vault.seal(subject, {
        login,
        name: input.name,
        ...(input.email ? { email: input.email } : {}),
        ...(input.mobile ? { mobile: input.mobile } : {}),
        ...(input.contactPerson ? { contactPerson: input.contactPerson } : {}),
      });
      const event: AccountEvent = {
        type: 'AccountCreated',
        data: { accountId, ...scope, source: input.source, personal },
      };
      await this.db
        .insertInto('auth_credentials')
        .values({
          account_id: accountId,
          password_hash: passwordHash,
          password_changed_at: passwordHash ? at : null,
          totp_secret: null,
          totp_pending: null,
          totp_last_step: null,
          recovery_codes: null,
        })
        .onConflict((oc) => oc.column('account_id').doUpdateSet({ password_hash: passwordHash }))
        .execute();
      await this.options.store.append(accountStream(accountId), [this.newEvent(event, context)], 'no-stream');
      await this.db
        .updateTable('accounts')
        .set({ status: 'active', revision: 0, updated_at: at })
        .where('account_id', '=', accountId)
        .execute();
    } catch (error) {
      // Nothing was recorded: free the login again.
      const exists = (await this.options.store.readStream(accountStream(accountId))).length > 0;
      if (!exists) {
        await this.db.deleteFrom('accounts').where('account_id', '=', accountId).execute();
        await this.db.deleteFrom('auth_credentials').where('account_id', '=', accountId).execute();
      }
      if (error instanceof WrongExpectedRevisionError)
        throw new AccountError(409, 'ACCOUNT_EXISTS', `an account with id ${accountId} exists`);
      throw error;
    }
    return (await this.view(accountId))!;
  }

  /** Holds the login (unique) before anything is recorded; a leftover of a crash is reclaimed. */
  private async reserve(
    accountId: string,
    login: string,
    input: NewAccount,
    scope: AccountScope,
    at: string,
  ): Promise<void> {
    const row = {
      account_id: accountId,
      login,
      external_id: input.externalId ?? null,
      role: scope.role,
      jurisdiction: scope.jurisdiction ?? null,
      org: scope.org ?? null,
      name: input.name,
      status: 'pending' as const,
      revision: -1,
      totp_enabled: 0,
      created_at: at,
      updated_at: at,
    };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await this.db.insertInto('accounts').values(row).execute();
        return;
      } catch (error) {
        const holder = await this.db
          .selectFrom('accounts')
          .selectAll()
          .where((eb) =>
            eb.or([
              eb('login', '=', login),
              eb('account_id', '=', accountId),
              ...(input.externalId ? [eb('external_id', '=', input.externalId)] : []),
            ]),
          )
          .executeTakeFirst();
        if (!holder) throw error;
        const recorded =
          holder.status !== 'pending' ||
          (await this.options.store.readStream(accountStream(holder.account_id))).length > 0;
        if (recorded) {
          if (holder.account_id === accountId && holder.login !== login)
            throw new AccountError(409, 'ACCOUNT_EXISTS', `an account with id ${accountId} exists`);
          throw new AccountError(409, 'LOGIN_TAKEN', 'this login is already taken');
        }
        await this.db.deleteFrom('accounts').where('account_id', '=', holder.account_id).execute();
      }
    }
    throw new AccountError(409, 'LOGIN_TAKEN', 'this login is already taken');
  }

  /** The account's state folded from its stream, and the stream's last revision. */
  async load(accountId: string): Promise<{ state: AccountState | undefined; revision: number }> {
    if (!ACCOUNT_ID.test(accountId)) return { state: undefined, revision: -1 };
    const events = await this.options.store.readStream<unknown>(accountStream(accountId));
    let state: AccountState | undefined;
    for (const event of events) state = evolve(state, event as unknown as AccountEvent);
    return { state, revision: events.length - 1 };
  }

  /**
   * Decides and records a command on an account, then brings its row up to date; a disable or
   * a role change ends every session of the account in the same step.
   */
  async execute(accountId: string, command: AccountCommand, context: EventContext): Promise<AccountView> {
    for (let attempt = 0; ; attempt++) {
      const { state, revision } = await this.load(accountId);
      await this.sync(accountId, state, revision, false);
      const events = decide(state, command);
      if (events.length === 0) return (await this.view(accountId))!;
      try {
        const result = await this.options.store.append(
          accountStream(accountId),
          events.map((event) => this.newEvent(event, context)),
          revision,
        );
        let next = state;
        for (const event of events) next = evolve(next, event);
        const endSessions = events.some((e) => e.type === 'AccountDisabled' || e.type === 'RoleChanged');
        await this.sync(accountId, next, result.nextRevision, endSessions);
        return (await this.view(accountId))!;
      } catch (error) {
        if (error instanceof WrongExpectedRevisionError && attempt < 3) continue;
        throw error;
      }
    }
  }

  /** Writes the account's row from its state (when newer) and optionally ends its sessions. */
  private async sync(
    accountId: string,
    state: AccountState | undefined,
    revision: number,
    endSessions: boolean,
  ): Promise<void> {
    if (!state) return;
    const at = this.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('accounts')
        .set({
          role: state.role,
          jurisdiction: state.jurisdiction ?? null,
          org: state.org ?? null,
          status: state.status,
          totp_enabled: state.totp ? 1 : 0,
          revision,
          updated_at: at,
        })
        .where('account_id', '=', accountId)
        .where('revision', '<', revision)
        .execute();
      if (endSessions || state.status === 'disabled')
        await trx.deleteFrom('auth_sessions').where('account_id', '=', accountId).execute();
    });
  }

  async view(accountId: string): Promise<AccountView | undefined> {
    const row = await this.db
      .selectFrom('accounts')
      .selectAll()
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (!row || row.status === 'pending') return undefined;
    const { state } = await this.load(accountId);
    return state ? toView(row, state) : undefined;
  }

  async list(filter: { role?: string; status?: string } = {}): Promise<AccountView[]> {
    let query = this.db.selectFrom('accounts').selectAll().where('status', '!=', 'pending');
    if (filter.role) query = query.where('role', '=', filter.role);
    if (filter.status) query = query.where('status', '=', filter.status as 'active');
    const rows = await query.orderBy('created_at').limit(1000).execute();
    return Promise.all(
      rows.map(async (row) => toView(row, (await this.load(row.account_id)).state ?? undefined)),
    );
  }

  async byLogin(login: string): Promise<AccountsTable | undefined> {
    return this.db
      .selectFrom('accounts')
      .selectAll()
      .where('login', '=', normalizeLogin(login))
      .where('status', '!=', 'pending')
      .executeTakeFirst();
  }

  async byExternalId(externalId: string): Promise<AccountsTable | undefined> {
    return this.db
      .selectFrom('accounts')
      .selectAll()
      .where('external_id', '=', externalId)
      .where('status', '!=', 'pending')
      .executeTakeFirst();
  }

  async row(accountId: string): Promise<AccountsTable | undefined> {
    return this.db.selectFrom('accounts').selectAll().where('account_id', '=', accountId).executeTakeFirst();
  }

  // ---- passwords ------------------------------------------------------------------------

  /**
   * The account a login and password belong to, or undefined: unknown login, wrong password
   * and no password at all take the same time and give the same answer.
   */
  async checkPassword(login: string, password: string): Promise<AccountsTable | undefined> {
    const account = typeof login === 'string' ? await this.byLogin(login) : undefined;
    const credentials = account
      ? await this.db
          .selectFrom('auth_credentials')
          .select('password_hash')
          .where('account_id', '=', account.account_id)
          .executeTakeFirst()
      : undefined;
    const ok = await verifyPassword(credentials?.password_hash, typeof password === 'string' ? password : '');
    return ok ? account : undefined;
  }

  /** Sets a new password (rules checked) and records PasswordChanged; ends other sessions. */
  async setPassword(
    accountId: string,
    password: string,
    how: 'self' | 'admin-reset' | 'reset-link',
    context: EventContext,
    keepSession?: string,
  ): Promise<void> {
    const row = await this.row(accountId);
    if (!row || row.status === 'pending') throw new AccountError(404, 'NOT_FOUND', 'no such account');
    const problem = passwordProblem(password, row.login);
    if (problem) throw new AccountError(400, 'WEAK_PASSWORD', problem, 'password');
    const hashed = await hashPassword(password);
    await this.execute(accountId, { kind: 'change-password', how }, context);
    await this.db
      .updateTable('auth_credentials')
      .set({ password_hash: hashed, password_changed_at: this.now().toISOString() })
      .where('account_id', '=', accountId)
      .execute();
    await this.endSessions(accountId, keepSession);
  }

  // ---- sessions -------------------------------------------------------------------------

  async startSession(
    accountId: string,
    mfaEnrolment: boolean,
  ): Promise<{ id: string; csrf: string; expiresAt: string }> {
    const id = token();
    const csrf = token();
    const now = this.now();
    const expiresAt = new Date(now.getTime() + this.options.sessionAbsoluteMs).toISOString();
    // Sessions nobody came back to, and spent or stale one-time tokens, go at each sign-in.
    await this.db.deleteFrom('auth_sessions').where('expires_at', '<=', now.toISOString()).execute();
    await this.db
      .deleteFrom('auth_tokens')
      .where('expires_at', '<=', new Date(now.getTime() - 86_400_000).toISOString())
      .execute();
    await this.db
      .insertInto('auth_sessions')
      .values({
        session_hash: digest(id),
        account_id: accountId,
        csrf,
        mfa_enrolment: mfaEnrolment ? 1 : 0,
        created_at: now.toISOString(),
        last_seen_at: now.toISOString(),
        expires_at: expiresAt,
      })
      .execute();
    return { id, csrf, expiresAt };
  }

  /**
   * The live session of a cookie's id, or undefined: unknown, signed out, idle too long, past
   * its absolute end, or its account disabled. Each use moves its idle deadline.
   */
  async session(id: string): Promise<SessionView | undefined> {
    if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
    const hash = digest(id);
    const session = await this.db
      .selectFrom('auth_sessions')
      .selectAll()
      .where('session_hash', '=', hash)
      .executeTakeFirst();
    if (!session) return undefined;
    const now = this.now();
    const idleEnd = Date.parse(session.last_seen_at) + this.options.sessionIdleMs;
    if (now.getTime() >= Date.parse(session.expires_at) || now.getTime() >= idleEnd) {
      await this.db.deleteFrom('auth_sessions').where('session_hash', '=', hash).execute();
      return undefined;
    }
    const account = await this.row(session.account_id);
    if (!account || account.status !== 'active') return undefined;
    // One write a minute at most per session: enough for a 30-minute idle timeout.
    if (now.getTime() - Date.parse(session.last_seen_at) >= 60_000) {
      await this.db
        .updateTable('auth_sessions')
        .set({ last_seen_at: now.toISOString() })
        .where('session_hash', '=', hash)
        .execute();
    }
    return {
      account,
      csrf: session.csrf,
      mfaEnrolment: session.mfa_enrolment === 1,
      expiresAt: session.expires_at,
    };
  }

  /**
   * Whether a session is still live, without counting this as activity (a live stream asks at
   * each heartbeat; an open page must not keep an idle session alive). Ended, expired, idle too
   * long, or its account disabled: false.
   */
  async sessionAlive(id: string): Promise<boolean> {
    const session = await this.db
      .selectFrom('auth_sessions')
      .select(['account_id', 'expires_at', 'last_seen_at'])
      .where('session_hash', '=', digest(id))
      .executeTakeFirst();
    if (!session) return false;
    const now = this.now().getTime();
    if (now >= Date.parse(session.expires_at)) return false;
    if (now >= Date.parse(session.last_seen_at) + this.options.sessionIdleMs) return false;
    const account = await this.row(session.account_id);
    return account?.status === 'active';
  }

  async endSession(id: string): Promise<void> {
    await this.db.deleteFrom('auth_sessions').where('session_hash', '=', digest(id)).execute();
  }

  /** Ends every session of the account (but `except`, a session id). Returns how many ended. */
  async endSessions(accountId: string, except?: string): Promise<number> {
    let query = this.db.deleteFrom('auth_sessions').where('account_id', '=', accountId);
    if (except) query = query.where('session_hash', '!=', digest(except));
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows ?? 0);
  }

  async markEnrolled(id: string): Promise<void> {
    await this.db
      .updateTable('auth_sessions')
      .set({ mfa_enrolment: 0 })
      .where('session_hash', '=', digest(id))
      .execute();
  }

  // ---- one-time tokens (reset links, OIDC logins) ---------------------------------------

  async issueToken(
    purpose: 'password-reset' | 'oidc-login',
    accountId: string | null,
    payload: Record<string, unknown>,
    ttlMs: number,
  ): Promise<string> {
    const value = token();
    const now = this.now();
    await this.db
      .insertInto('auth_tokens')
      .values({
        token_hash: digest(value),
        purpose,
        account_id: accountId,
        payload: JSON.stringify(payload),
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + ttlMs).toISOString(),
        used_at: null,
      })
      .execute();
    return value;
  }

  /** Whether the account has an unused token of this purpose issued within the last `withinMs`. */
  async recentToken(accountId: string, purpose: 'password-reset', withinMs: number): Promise<boolean> {
    const now = this.now();
    const row = await this.db
      .selectFrom('auth_tokens')
      .select('token_hash')
      .where('account_id', '=', accountId)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now.toISOString())
      .where('created_at', '>', new Date(now.getTime() - withinMs).toISOString())
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * The account an unused, unexpired token belongs to, without using it (a reset form checks
   * the new password first, so a refused password does not spend the link).
   */
  async peekToken(
    purpose: 'password-reset' | 'oidc-login',
    value: string,
  ): Promise<string | null | undefined> {
    if (typeof value !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(value)) return undefined;
    const row = await this.db
      .selectFrom('auth_tokens')
      .select('account_id')
      .where('token_hash', '=', digest(value))
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .where('expires_at', '>', this.now().toISOString())
      .executeTakeFirst();
    return row ? row.account_id : undefined;
  }

  /** Uses a token once: the first caller within its validity gets its contents, nobody after. */
  async consumeToken(
    purpose: 'password-reset' | 'oidc-login',
    value: string,
  ): Promise<{ accountId: string | null; payload: Record<string, unknown> } | undefined> {
    if (typeof value !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(value)) return undefined;
    const now = this.now().toISOString();
    const row = await this.db
      .updateTable('auth_tokens')
      .set({ used_at: now })
      .where('token_hash', '=', digest(value))
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning(['account_id', 'payload'])
      .executeTakeFirst();
    return row
      ? { accountId: row.account_id, payload: JSON.parse(row.payload) as Record<string, unknown> }
      : undefined;
  }

  /** Ends every unused reset link of an account (after a successful reset). */
  async revokeTokens(accountId: string, purpose: 'password-reset'): Promise<void> {
    await this.db
      .updateTable('auth_tokens')
      .set({ used_at: this.now().toISOString() })
      .where('account_id', '=', accountId)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .execute();
  }

  /** Sealed contact data of an account (email for reset links), or undefined when forgotten. */
  async personal(accountId: string): Promise<Record<string, unknown> | undefined> {
    const events = await this.options.store.readStream<{ personal?: unknown }>(accountStream(accountId), {
      toRevision: 0,
    });
    const sealed = events[0]?.data.personal;
    return isSealedPersonalData(sealed) ? this.options.vault.open(sealed) : undefined;
  }

  // ---- second factor --------------------------------------------------------------------

  /** Starts TOTP enrolment: a new secret (kept aside until confirmed) and its otpauth URI. */
  async beginTotp(accountId: string): Promise<{ secret: string; uri: string }> {
    const row = await this.row(accountId);
    if (!row) throw new AccountError(404, 'NOT_FOUND', 'no such account');
    const secret = generateSecret();
    const sealed = await this.options.vault.seal(`account:${accountId}`, { secret });
    await this.db
      .updateTable('auth_credentials')
      .set({ totp_pending: JSON.stringify(sealed) })
      .where('account_id', '=', accountId)
      .execute();
    const uri = generateURI({
      issuer: this.options.totpIssuer ?? '企业培育库',
      label: row.login,
      secret,
    });
    return { secret, uri };
  }

  /**
   * Confirms enrolment with a code from the app: the secret becomes the account's, TotpEnabled
   * and RecoveryCodesIssued are recorded, and the recovery codes are returned once.
   */
  async confirmTotp(accountId: string, code: string, context: EventContext): Promise<string[] | undefined> {
    const credentials = await this.credentials(accountId);
    const secret = await this.openSecret(credentials?.totp_pending);
    if (!secret) throw new AccountError(409, 'TOTP_NOT_STARTED', 'start the enrolment first');
    const step = await this.totpStep(secret, code, null);
    if (step === undefined) return undefined;
    const codes = Array.from({ length: 10 }, () => recoveryCode());
    await this.db
      .updateTable('auth_credentials')
      .set({
        totp_secret: credentials!.totp_pending,
        totp_pending: null,
        totp_last_step: step,
        recovery_codes: JSON.stringify(codes.map((c) => digest(normalizeRecovery(c)))),
      })
      .where('account_id', '=', accountId)
      .execute();
    await this.execute(accountId, { kind: 'enable-totp' }, context);
    await this.execute(accountId, { kind: 'issue-recovery-codes', count: codes.length }, context);
    return codes;
  }

  /** True when `code` is a current TOTP code (never one used before) or an unused recovery code. */
  async checkSecondFactor(accountId: string, code: string): Promise<boolean> {
    if (typeof code !== 'string') return false;
    const credentials = await this.credentials(accountId);
    const secret = await this.openSecret(credentials?.totp_secret);
    if (!secret) return false;
    const trimmed = code.replace(/\s/g, '');
    if (/^\d{6}$/.test(trimmed)) {
      const step = await this.totpStep(secret, trimmed, credentials!.totp_last_step);
      if (step === undefined) return false;
      // Compare-and-set: two requests with the same code, one wins.
      const updated = await this.db
        .updateTable('auth_credentials')
        .set({ totp_last_step: step })
        .where('account_id', '=', accountId)
        .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
        .executeTakeFirst();
      return Number(updated.numUpdatedRows) === 1;
    }
    const hashes = JSON.parse(credentials!.recovery_codes ?? '[]') as string[];
    const given = Buffer.from(digest(normalizeRecovery(trimmed)));
    const match = hashes.find((h) => timingSafeEqual(Buffer.from(h), given));
    if (!match) return false;
    const updated = await this.db
      .updateTable('auth_credentials')
      .set({ recovery_codes: JSON.stringify(hashes.filter((h) => h !== match)) })
      .where('account_id', '=', accountId)
      .where('recovery_codes', '=', credentials!.recovery_codes)
      .executeTakeFirst();
    return Number(updated.numUpdatedRows) === 1;
  }

  /** Removes the second factor (the account's own choice after a code, or an admin's reset). */
  async disableTotp(accountId: string, how: 'self' | 'admin', context: EventContext): Promise<void> {
    await this.execute(accountId, { kind: 'disable-totp', how }, context);
    await this.db
      .updateTable('auth_credentials')
      .set({ totp_secret: null, totp_pending: null, totp_last_step: null, recovery_codes: null })
      .where('account_id', '=', accountId)
      .execute();
  }

  async remainingRecoveryCodes(accountId: string): Promise<number> {
    const credentials = await this.credentials(accountId);
    return (JSON.parse(credentials?.recovery_codes ?? '[]') as string[]).length;
  }

  private credentials(accountId: string) {
    return this.db
      .selectFrom('auth_credentials')
      .selectAll()
      .where('account_id', '=', accountId)
      .executeTakeFirst();
  }

  private async openSecret(sealed: string | null | undefined): Promise<string | undefined> {
    if (!sealed) return undefined;
    const opened = await this.options.vault.open(JSON.parse(sealed));
    return typeof opened?.secret === 'string' ? opened.secret : undefined;
  }

  /** The time step a code belongs to (one step of tolerance either way), or undefined. */
  private async totpStep(secret: string, code: string, after: number | null): Promise<number | undefined> {
    if (typeof code !== 'string' || !/^\d{6}$/.test(code.trim())) return undefined;
    const result = await verifyTotpCode({
      secret,
      token: code.trim(),
      epoch: Math.floor(this.now().getTime() / 1000),
      epochTolerance: 30,
      ...(after !== null ? { afterTimeStep: after } : {}),
    });
    return result.valid ? (result as { timeStep: number }).timeStep : undefined;
  }

  private newEvent(event: AccountEvent, context: EventContext): NewEvent {
    const correlationId = context.correlationId ?? randomUUID();
    return {
      type: event.type,
      data: event.data,
      metadata: {
        actor: context.actor,
        correlationId,
        causationId: correlationId,
        occurredAt: this.now().toISOString(),
      },
    };
  }
}

function toView(row: AccountsTable, state: AccountState | undefined): AccountView {
  return {
    id: row.account_id,
    login: row.login,
    name: row.name,
    status: row.status === 'disabled' ? 'disabled' : 'active',
    totp: row.totp_enabled === 1,
    source: state?.source ?? 'admin',
    createdAt: row.created_at,
    role: row.role as AccountScope['role'],
    ...(row.jurisdiction ? { jurisdiction: row.jurisdiction } : {}),
    ...(row.org ? { org: row.org } : {}),
    ...(state?.field ? { field: state.field } : {}),
    ...(state?.affiliations ? { affiliations: state.affiliations } : {}),
  };
}

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
function recoveryCode(): string {
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}
const normalizeRecovery = (code: string) => code.toLowerCase().replace(/[^a-z0-9]/g, '');
