import type { Transaction } from 'kysely';
import type { StoredEvent } from '@engine/event-store';
import { GenerationTablesPlugin, handledEvents, type Projection } from '../projection';
import type { ReadModelSchema } from '../schema';

/** Applies events to one generation of the projection's tables, inside the caller's transaction. */
export async function applyToGeneration(
  trx: Transaction<ReadModelSchema>,
  projection: Projection,
  generation: number,
  events: readonly StoredEvent[],
): Promise<void> {
  events = handledEvents(projection, events);
  if (events.length === 0) return;
  const scoped = trx.withPlugin(new GenerationTablesPlugin(projection.tables, generation));
  if (projection.applyBatch) {
    await projection.applyBatch(scoped, events);
    return;
  }
  for (const event of events) await projection.apply(scoped, event);
}

/** Sleeps `ms`, or less when woken. A wake-up while nobody sleeps cuts the next sleep short. */
export class Sleeper {
  private wake: (() => void) | undefined;
  private pending = false;

  sleep(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.wake === done) this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref?.();
      this.wake = done;
    });
  }

  wakeUp(): void {
    if (this.wake) this.wake();
    else this.pending = true;
  }
}
