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

/**
 * The personal-data vault over a key table in the read-model database (docs/privacy.md).
 *
 * - Each data subject has one random AES-256-GCM data key, stored wrapped (AES-256-GCM) under
 *   a key derived from PII_MASTER_KEY, and bound to its subject and key id, so a row copied
 *   to another subject does not unwrap.
 * - A sealed value names the subject and the key id; its ciphertext is bound to both.
 * - `subjectFor` is HMAC-SHA256 under another key derived from the master key: the same
 *   person always maps to the same subject, and the id reveals nothing without the key.
 * - `forget` deletes the key row and keeps a tombstone (who, when; no key material). Every
 *   sealed copy, in events, exports and backups of the event store, is unreadable from then
 *   on. Backups of the read-model database taken before still hold the key: docs/privacy.md.
 *
 * Keys are not cached: a `forget` on one replica takes effect on every replica at once.
 */
export class KeyTableVault extends PersonalDataVault {
  private readonly wrapKey: Buffer;
  private readonly subjectKey: Buffer;

  constructor(
    private readonly db: ReadModelDatabase,
    masterKeyBase64: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    super();
    const master = Buffer.from(masterKeyBase64, 'base64');
    if (master.length !== 32) throw new Error('PII_MASTER_KEY must be 32 bytes');
    this.wrapKey = derive(master, 'cultivation-engine/personal-data/wrap/v1');
    this.subjectKey = derive(master, 'cultivation-engine/personal-data/subject/v1');
  }

  subjectFor(kind: 'id-number' | 'phone' | 'email', identifier: string): string {
    const mac = createHmac('sha256', this.subjectKey).update(`${kind}\0${normalize(kind, identifier)}`);
    return SUBJECT_PREFIX + mac.digest('base64url');
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
      .select(['key_id', 'wrapped_key'])
      .where('subject', '=', subject)
      .executeTakeFirst();
    if (!row && create) {
      const keyId = randomUUID();
      const dataKey = randomBytes(32);
      const wrapped = encrypt(this.wrapKey, dataKey, wrapAad(subject, keyId));
      // Two replicas sealing for a new subject at once: one insert wins, both use its key.
      await this.db.writer
        .insertInto('pd_keys')
        .values({
          subject,
          key_id: keyId,
          wrapped_key: Buffer.concat([wrapped.iv, wrapped.tag, wrapped.ct]).toString('base64'),
          created_at: this.now().toISOString(),
        })
        .onConflict((oc) => oc.column('subject').doNothing())
        .execute();
      row = await this.db.writer
        .selectFrom('pd_keys')
        .select(['key_id', 'wrapped_key'])
        .where('subject', '=', subject)
        .executeTakeFirst();
    }
    if (!row) return {};
    const raw = Buffer.from(row.wrapped_key, 'base64');
    const key = decrypt(
      this.wrapKey,
      { iv: raw.subarray(0, 12), tag: raw.subarray(12, 28), ct: raw.subarray(28) },
      wrapAad(subject, row.key_id),
    );
    return { keyId: row.key_id, key };
  }
}

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
