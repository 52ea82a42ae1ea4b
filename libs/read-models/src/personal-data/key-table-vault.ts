import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import { isSealedPersonalData, PersonalDataVault, type SealedPersonalData } from '@engine/platform';
import type { ReadModelDatabase } from '../database';

const ALG = 'A256GCM';
const SUBJECT_PREFIX = 'ps1_';
const SUBJECT = /^[\w:.-]{1,128}$/;

/** What a sealed value carries besides `v` and `subject` (all base64url but `k` and `alg`). */
interface AesGcmSealed extends SealedPersonalData {
  /** The id of the subject's data key that sealed it. */
  k: string;
  alg: typeof ALG;
  iv: string;
  ct: string;
  tag: string;
}

/** A sealed value whose key exists but which does not decrypt: altered, or not ours. */
export class SealedDataCorruptError extends Error {
  constructor(subject: string) {
    super(`sealed personal data of subject ${subject} does not decrypt under its key: it was altered`);
    this.name = 'SealedDataCorruptError';
  }
}

function derive(master: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 32));
}

function encrypt(key: Buffer, plaintext: Buffer, aad: string): { iv: Buffer; ct: Buffer; tag: Buffer } {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ct, tag: cipher.getAuthTag() };
}

function decrypt(key: Buffer, parts: { iv: Buffer; ct: Buffer; tag: Buffer }, aad: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, parts.iv);
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(parts.tag);
  return Buffer.concat([decipher.update(parts.ct), decipher.final()]);
}

/** How an identifier is written before it is hashed, so one person maps to one subject. */
function normalize(kind: 'id-number' | 'phone' | 'email', identifier: string): string {
  const trimmed = identifier.trim();
  switch (kind) {
    case 'id-number':
      return trimmed.toUpperCase();
    case 'phone':
      return trimmed.replace(/[\s()-]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '');
    case 'email':
      return trimmed.toLowerCase();
  }
}

/** One master key: the key it derives for wrapping, and its public id (recorded per row). */
interface MasterKey {
  id: string;
  wrapKey: Buffer;
  /** The subject key as it was derived before it was stored (subjects sealed before 0006). */
  legacySubjectKey: Buffer;
}

function masterKey(base64: string): MasterKey {
  const master = Buffer.from(base64, 'base64');
  if (master.length !== 32) throw new Error('PII_MASTER_KEY must be 32 bytes');
  return {
    id: createHmac('sha256', master)
      .update('cultivation-engine/personal-data/master-id/v1')
      .digest('hex')
      .slice(0, 16),
    wrapKey: derive(master, 'cultivation-engine/personal-data/wrap/v1'),
    legacySubjectKey: derive(master, 'cultivation-engine/personal-data/subject/v1'),
  };
}

/** Where a master-key rotation stands: data keys (and the subject key) still under another master. */
export interface RotationProgress {
  done: number;
  total: number;
}

/**
 * The personal-data vault over a key table in the read-model database (docs/privacy.md).
 *
 * - Each data subject has one random AES-256-GCM data key, stored wrapped (AES-256-GCM) under
 *   a key derived from PII_MASTER_KEY, and bound to its subject and key id, so a row copied
 *   to another subject does not unwrap. Each row records which master key wrapped it.
 * - A sealed value names the subject and the key id; its ciphertext is bound to both.
 * - `subjectFor` is HMAC-SHA256 under the subject key, a random key stored wrapped like the
 *   data keys (`pd_vault_keys`): the same person always maps to the same subject, the id
 *   reveals nothing without the key, and a new master key re-wraps it rather than changing
 *   every subject id.
 * - Master-key rotation: PII_MASTER_KEY wraps, and PII_MASTER_KEY_PREVIOUS keys still open;
 *   `rotateMasterKey` re-wraps every key under the current master, online, in batches,
 *   resumable (what is left is simply what another master still wraps).
 * - `forget` deletes the key row and keeps a tombstone (who, when; no key material). Every
 *   sealed copy, in events, exports and backups of the event store, is unreadable from then
 *   on. Backups of the read-model database taken before still hold the key: docs/privacy.md.
 *
 * Keys are not cached: a `forget` on one replica takes effect on every replica at once.
 * Open it with `KeyTableVault.open` (it reads, or on first use stores, the subject key).
 */
export class KeyTableVault extends PersonalDataVault {
  private constructor(
    private readonly db: ReadModelDatabase,
    private readonly current: MasterKey,
    private readonly accepted: MasterKey[],
    private readonly subjectKey: Buffer,
    private readonly now: () => Date,
  ) {
    super();
  }

  /**
   * The vault under `masterKeyBase64` (wrapping), also opening what the `previous` master keys
   * wrapped. The first open of a key table stores its subject key: the one the keys already in
   * the table were sealed with (derived from whichever master wraps them), else a random one.
   */
  static async open(
    db: ReadModelDatabase,
    masterKeyBase64: string,
    options: { now?: () => Date; previous?: string[] } = {},
  ): Promise<KeyTableVault> {
    const current = masterKey(masterKeyBase64);
    const accepted = [current, ...(options.previous ?? []).map(masterKey).filter((m) => m.id !== current.id)];
    const now = options.now ?? (() => new Date());
    let row = await db.writer
      .selectFrom('pd_vault_keys')
      .selectAll()
      .where('name', '=', 'subject')
      .executeTakeFirst();
    if (!row) {
      const subjectKey = await legacySubjectKey(db, accepted);
      const wrapped = encrypt(current.wrapKey, subjectKey, vaultAad('subject'));
      await db.writer
        .insertInto('pd_vault_keys')
        .values({
          name: 'subject',
          wrapped_key: pack(wrapped),
          master_id: current.id,
          created_at: now().toISOString(),
        })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      row = await db.writer
        .selectFrom('pd_vault_keys')
        .selectAll()
        .where('name', '=', 'subject')
        .executeTakeFirstOrThrow();
    }
    const subjectKey = unwrapWithAny(accepted, row.master_id, row.wrapped_key, vaultAad('subject'));
    if (!subjectKey) throw new MasterKeyMismatchError(row.master_id);
    return new KeyTableVault(db, current, accepted, subjectKey, now);
  }

  subjectFor(kind: 'id-number' | 'phone' | 'email', identifier: string): string {
    const mac = createHmac('sha256', this.subjectKey).update(`${kind}\0${normalize(kind, identifier)}`);
    return SUBJECT_PREFIX + mac.digest('base64url');
  }

  /** How many keys another master still wraps (0: a rotation is complete). */
  async keysUnderOtherMasters(): Promise<number> {
    const { n } = await this.db.writer
      .selectFrom('pd_keys')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where((eb) => eb.or([eb('master_id', 'is', null), eb('master_id', '!=', this.current.id)]))
      .executeTakeFirstOrThrow();
    const vault = await this.db.writer
      .selectFrom('pd_vault_keys')
      .select('name')
      .where('master_id', '!=', this.current.id)
      .execute();
    return Number(n) + vault.length;
  }

  /**
   * Re-wraps every key under the current master key, `batch` rows per transaction, calling
   * `onProgress` after each. Safe online (a row forgotten meanwhile is skipped; one sealed
   * meanwhile is already under the current master) and after a crash (run it again: it picks
   * up what is left). Throws MasterKeyMismatchError, changing nothing more, on a row that no
   * accepted master opens.
   */
  async rotateMasterKey(
    onProgress: (progress: RotationProgress) => void = () => undefined,
    batch = 500,
  ): Promise<RotationProgress> {
    const total = await this.keysUnderOtherMasters();
    let done = 0;
    onProgress({ done, total });
    const vaultRows = await this.db.writer
      .selectFrom('pd_vault_keys')
      .selectAll()
      .where('master_id', '!=', this.current.id)
      .execute();
    for (const row of vaultRows) {
      const key = unwrapWithAny(this.accepted, row.master_id, row.wrapped_key, vaultAad(row.name));
      if (!key) throw new MasterKeyMismatchError(row.master_id);
      await this.db.writer
        .updateTable('pd_vault_keys')
        .set({
          wrapped_key: pack(encrypt(this.current.wrapKey, key, vaultAad(row.name))),
          master_id: this.current.id,
        })
        .where('name', '=', row.name)
        .where('wrapped_key', '=', row.wrapped_key)
        .execute();
      onProgress({ done: ++done, total });
    }
    for (;;) {
      const rows = await this.db.writer
        .selectFrom('pd_keys')
        .select(['subject', 'key_id', 'wrapped_key', 'master_id'])
        .where((eb) => eb.or([eb('master_id', 'is', null), eb('master_id', '!=', this.current.id)]))
        .orderBy('subject')
        .limit(batch)
        .execute();
      if (rows.length === 0) break;
      const rewrapped = rows.map((row) => {
        const aad = wrapAad(row.subject, row.key_id);
        const key = unwrapWithAny(this.accepted, row.master_id, row.wrapped_key, aad);
        if (!key) throw new MasterKeyMismatchError(row.master_id ?? 'unrecorded');
        return { row, wrapped: pack(encrypt(this.current.wrapKey, key, aad)) };
      });
      await this.db.writer.transaction().execute(async (trx) => {
        for (const { row, wrapped } of rewrapped) {
          // Compare-and-set on the old wrapping: a row forgotten meanwhile is left alone.
          await trx
            .updateTable('pd_keys')
            .set({ wrapped_key: wrapped, master_id: this.current.id })
            .where('subject', '=', row.subject)
            .where('wrapped_key', '=', row.wrapped_key)
            .execute();
        }
      });
      done += rows.length;
      onProgress({ done: Math.min(done, total), total: Math.max(total, done) });
    }
    return { done, total: Math.max(total, done) };
  }

  async seal(subject: string, value: Record<string, unknown>): Promise<SealedPersonalData> {
    assertSubject(subject);
    const { keyId, key } = await this.keyOf(subject, true);
    const parts = encrypt(key!, Buffer.from(JSON.stringify(value), 'utf8'), dataAad(subject, keyId!));
    const sealed: AesGcmSealed = {
      v: 1,
      subject,
      k: keyId!,
      alg: ALG,
      iv: parts.iv.toString('base64url'),
      ct: parts.ct.toString('base64url'),
      tag: parts.tag.toString('base64url'),
    };
    return sealed;
  }

  async open(sealed: SealedPersonalData): Promise<Record<string, unknown> | undefined> {
    if (!isAesGcmSealed(sealed)) throw new TypeError('not sealed personal data of this vault');
    const { keyId, key } = await this.keyOf(sealed.subject, false);
    // Forgotten (no key), or sealed under a key that was destroyed before this one was made.
    if (!key || keyId !== sealed.k) return undefined;
    let plaintext: Buffer;
    try {
      plaintext = decrypt(
        key,
        {
          iv: Buffer.from(sealed.iv, 'base64url'),
          ct: Buffer.from(sealed.ct, 'base64url'),
          tag: Buffer.from(sealed.tag, 'base64url'),
        },
        dataAad(sealed.subject, sealed.k),
      );
    } catch {
      throw new SealedDataCorruptError(sealed.subject);
    }
    return JSON.parse(plaintext.toString('utf8')) as Record<string, unknown>;
  }

  async forget(subject: string, by = 'unknown'): Promise<boolean> {
    assertSubject(subject);
    return this.db.writer.transaction().execute(async (trx) => {
      // Delete first: on SQLite the write lock is taken before anything is read.
      const row = await trx
        .deleteFrom('pd_keys')
        .where('subject', '=', subject)
        .returning(['key_id'])
        .executeTakeFirst();
      if (!row) return false;
      await trx
        .insertInto('pd_tombstones')
        .values({ subject, key_id: row.key_id, forgotten_at: this.now().toISOString(), forgotten_by: by })
        .execute();
      return true;
    });
  }

  /** When and by whom a subject was forgotten (every time, oldest first). */
  async tombstones(subject: string): Promise<{ forgottenAt: string; forgottenBy: string }[]> {
    const rows = await this.db.writer
      .selectFrom('pd_tombstones')
      .select(['forgotten_at', 'forgotten_by'])
      .where('subject', '=', subject)
      .orderBy('forgotten_at')
      .execute();
    return rows.map((r) => ({ forgottenAt: r.forgotten_at, forgottenBy: r.forgotten_by }));
  }

  private async keyOf(subject: string, create: boolean): Promise<{ keyId?: string; key?: Buffer }> {
    let row = await this.db.writer
      .selectFrom('pd_keys')
      .select(['key_id', 'wrapped_key', 'master_id'])
      .where('subject', '=', subject)
      .executeTakeFirst();
    if (!row && create) {
      const keyId = randomUUID();
      const dataKey = randomBytes(32);
      const wrapped = encrypt(this.current.wrapKey, dataKey, wrapAad(subject, keyId));
      // Two replicas sealing for a new subject at once: one insert wins, both use its key.
      await this.db.writer
        .insertInto('pd_keys')
        .values({
          subject,
          key_id: keyId,
          wrapped_key: pack(wrapped),
          created_at: this.now().toISOString(),
          master_id: this.current.id,
        })
        .onConflict((oc) => oc.column('subject').doNothing())
        .execute();
      row = await this.db.writer
        .selectFrom('pd_keys')
        .select(['key_id', 'wrapped_key', 'master_id'])
        .where('subject', '=', subject)
        .executeTakeFirst();
    }
    if (!row) return {};
    const key = unwrapWithAny(this.accepted, row.master_id, row.wrapped_key, wrapAad(subject, row.key_id));
    if (!key) throw new MasterKeyMismatchError(row.master_id ?? 'unrecorded');
    return { keyId: row.key_id, key };
  }
}

/** A key in the table was wrapped by a master key this process was not given. */
export class MasterKeyMismatchError extends Error {
  constructor(readonly masterId: string) {
    super(
      `a personal-data key is wrapped by master key ${masterId}, which is neither PII_MASTER_KEY nor in PII_MASTER_KEY_PREVIOUS`,
    );
    this.name = 'MasterKeyMismatchError';
  }
}

const pack = (parts: { iv: Buffer; ct: Buffer; tag: Buffer }) =>
  Buffer.concat([parts.iv, parts.tag, parts.ct]).toString('base64');

/** Unwraps with the master the row names, else (a row from before 0006) with each accepted one. */
function unwrapWithAny(
  accepted: MasterKey[],
  masterId: string | null,
  wrapped: string,
  aad: string,
): Buffer | undefined {
  const raw = Buffer.from(wrapped, 'base64');
  const parts = { iv: raw.subarray(0, 12), tag: raw.subarray(12, 28), ct: raw.subarray(28) };
  const candidates = masterId === null ? accepted : accepted.filter((m) => m.id === masterId);
  for (const master of candidates) {
    try {
      return decrypt(master.wrapKey, parts, aad);
    } catch {
      // not this one
    }
  }
  return undefined;
}

/**
 * The subject key of a key table that predates stored subject keys: derived from the master
 * key that wraps its data keys (so every subject id stays what it was); random for a new table.
 */
async function legacySubjectKey(db: ReadModelDatabase, accepted: MasterKey[]): Promise<Buffer> {
  const sample = await db.writer
    .selectFrom('pd_keys')
    .select(['subject', 'key_id', 'wrapped_key'])
    .limit(1)
    .executeTakeFirst();
  if (!sample) {
    const tombstone = await db.writer
      .selectFrom('pd_tombstones')
      .select('subject')
      .limit(1)
      .executeTakeFirst();
    // Only tombstones: the table was used under the current master's derivation; keep it so a
    // forget repeated by ID number still finds its tombstone.
    return tombstone ? accepted[0].legacySubjectKey : randomBytes(32);
  }
  for (const master of accepted) {
    if (unwrapWithAny([master], null, sample.wrapped_key, wrapAad(sample.subject, sample.key_id)))
      return master.legacySubjectKey;
  }
  throw new MasterKeyMismatchError('unrecorded');
}

const vaultAad = (name: string) => `pd/vault/v1\0${name}`;
const dataAad = (subject: string, keyId: string) => `pd/data/v1\0${subject}\0${keyId}`;
const wrapAad = (subject: string, keyId: string) => `pd/key/v1\0${subject}\0${keyId}`;

function assertSubject(subject: string): void {
  if (typeof subject !== 'string' || !SUBJECT.test(subject)) throw new TypeError('invalid data subject id');
}

function isAesGcmSealed(value: unknown): value is AesGcmSealed {
  if (!isSealedPersonalData(value)) return false;
  const v = value as Partial<AesGcmSealed>;
  return (
    v.alg === ALG &&
    typeof v.k === 'string' &&
    typeof v.iv === 'string' &&
    typeof v.ct === 'string' &&
    typeof v.tag === 'string' &&
    SUBJECT.test(v.subject!)
  );
}
