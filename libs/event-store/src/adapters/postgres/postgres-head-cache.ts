import type { AppendRequest, PlannedRow, StreamHead } from '../../event-store.port';

/**
 * Last known head of recently used streams (null: known not to exist), in LRU order. Only a
 * prediction that lets a batch skip its read: a wrong one costs a refused statement, never a
 * wrong write, because the constraints and the chain check in `append_events` decide.
 */
export class StreamHeadCache {
  private readonly heads = new Map<string, StreamHead | null>();

  /** `size` 0 disables the cache. */
  constructor(private readonly size: number) {}

  /**
   * The heads of a batch's streams from the cache alone, when every stream's first append in
   * it is expected to succeed on what we last saw; undefined when a read is needed (unknown
   * stream, or a predicted failure, which must be reported from a real read).
   */
  predict(batch: readonly AppendRequest[]): Map<string, StreamHead | undefined> | undefined {
    const heads = new Map<string, StreamHead | undefined>();
    for (const { stream, expected } of batch) {
      if (heads.has(stream)) continue; // later appends follow the batch's own effects
      const cached = this.heads.get(stream);
      if (cached === undefined) {
        if (expected !== 'no-stream') return undefined;
        heads.set(stream, undefined);
        continue;
      }
      const actual = cached ? cached.revision : -1;
      const succeeds =
        expected === 'any' || (expected === 'no-stream' ? cached === null : expected === actual);
      if (!succeeds) return undefined;
      heads.set(stream, cached ?? undefined);
    }
    return heads;
  }

  /** Heads read from the database; `authoritative` (read under the commit lock) overrides. */
  remember(heads: ReadonlyMap<string, StreamHead | undefined>, authoritative: boolean): void {
    for (const [stream, head] of heads) {
      const cached = this.heads.get(stream);
      if (authoritative || cached === undefined || (head && (!cached || head.revision > cached.revision))) {
        this.set(stream, head ?? null);
      }
    }
  }

  /** Rows just committed: their streams' new heads. */
  written(rows: readonly PlannedRow[]): void {
    for (const row of rows) this.set(row.stream, { revision: row.revision, hash: row.hash });
  }

  /** The outcome of a write is unknown: forget what we believed about these streams. */
  forget(streams: Iterable<string>): void {
    for (const stream of streams) this.heads.delete(stream);
  }

  private set(stream: string, head: StreamHead | null): void {
    if (this.size <= 0) return;
    this.heads.delete(stream);
    this.heads.set(stream, head);
    if (this.heads.size > this.size) this.heads.delete(this.heads.keys().next().value!);
  }
}
