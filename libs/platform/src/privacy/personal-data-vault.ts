/**
 * Personal information (objectors' names, ID numbers and phones; enterprise contact persons)
 * never enters the append-only event store in clear. It is sealed under a key that belongs to
 * one data subject and is held outside the store; destroying that key ("forget") makes every
 * copy unreadable, in events, exports and rebuilt projections, while the hash chain, which
 * covers the sealed bytes, still verifies. See docs/privacy.md.
 */

/** What an event carries in place of personal fields. JSON, stable: it is hashed into the chain. */
export interface SealedPersonalData {
  /** Format version. */
  v: 1;
  /** The data subject whose key sealed it (an opaque id, never the ID number itself). */
  subject: string;
  /** Algorithm-specific fields (e.g. iv, ciphertext, tag), base64. */
  [field: string]: unknown;
}

export function isSealedPersonalData(value: unknown): value is SealedPersonalData {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { v?: unknown }).v === 1 &&
    typeof (value as { subject?: unknown }).subject === 'string'
  );
}

/** Seals and opens personal data under per-subject keys. The Nest token is the class itself. */
export abstract class PersonalDataVault {
  /**
   * The stable subject id of a natural person identified by a national ID number (or another
   * identifier): derived with a keyed hash, so the id reveals nothing and the same person maps
   * to the same subject (and one `forget` covers all their records).
   */
  abstract subjectFor(kind: 'id-number' | 'phone' | 'email', identifier: string): string;
  /** Seals `value` under the subject's key, creating the key on first use. */
  abstract seal(subject: string, value: Record<string, unknown>): Promise<SealedPersonalData>;
  /** The value, or undefined when the subject's key was destroyed (forgotten). */
  abstract open(sealed: SealedPersonalData): Promise<Record<string, unknown> | undefined>;
  /**
   * Destroys the subject's key. True when a key existed. Irreversible. `by` (who asked, e.g.
   * an operator's name or a ticket) is kept with the tombstone; never key material.
   */
  abstract forget(subject: string, by?: string): Promise<boolean>;
}
