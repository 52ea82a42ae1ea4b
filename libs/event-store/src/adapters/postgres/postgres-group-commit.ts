/** One request waiting in a group commit. */
interface Pending<T, R> {
  item: T;
  bytes: number;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/** How each request of a committed batch ended, in the batch's order. */
export type BatchOutcome<R> = { ok: true; result: R } | { ok: false; error: unknown };

export interface GroupCommitOptions<T, R> {
  /** Commits a batch; throws only when the whole batch failed (connection lost...). */
  commit: (batch: T[]) => Promise<BatchOutcome<R>[]>;
  /** What callers of a batch that failed as a whole are rejected with. */
  failure: (error: unknown) => unknown;
  /** Most requests in one batch. */
  maxBatch: number;
  /** A batch stops growing past this many bytes (it always takes at least one request). */
  maxBatchBytes: number;
}

/**
 * Group commit: requests made while a batch is in flight are committed together, one batch at
 * a time, in call order. Callers are answered once their batch is committed.
 */
export class GroupCommit<T, R> {
  private queue: Pending<T, R>[] = [];
  private scheduled = false;
  private flushing: Promise<void> | undefined;
  private closing = false;

  constructor(private readonly options: GroupCommitOptions<T, R>) {}

  submit(item: T, bytes: number): Promise<R> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, bytes, resolve, reject });
      this.schedule();
    });
  }

  /** Commits (or refuses) everything already submitted. */
  async drain(): Promise<void> {
    this.closing = true;
    while (this.flushing || this.queue.length > 0) await this.start();
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.start();
    });
  }

  /** Runs the flush loop unless it is running; one batch is in flight at a time. */
  private start(): Promise<void> {
    this.flushing ??= this.flush().finally(() => {
      this.flushing = undefined;
      if (this.queue.length > 0 && !this.closing) this.schedule();
    });
    return this.flushing;
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.batchSize());
      let outcomes: BatchOutcome<R>[];
      try {
        outcomes = await this.options.commit(batch.map((pending) => pending.item));
      } catch (error) {
        const failure = this.options.failure(error);
        for (const pending of batch) pending.reject(failure);
        continue;
      }
      outcomes.forEach((outcome, i) =>
        outcome.ok ? batch[i].resolve(outcome.result) : batch[i].reject(outcome.error),
      );
    }
  }

  private batchSize(): number {
    let bytes = 0;
    let count = 0;
    while (
      count < this.queue.length &&
      count < this.options.maxBatch &&
      (count === 0 || bytes < this.options.maxBatchBytes)
    ) {
      bytes += this.queue[count].bytes;
      count++;
    }
    return count;
  }
}
