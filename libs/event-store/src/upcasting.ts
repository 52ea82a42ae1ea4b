import type { RawStoredEvent, StoredEvent } from './event-store.port';

/** Turns the data of one schema version of one event type into the next version's. */
export type Upcaster = (data: unknown, event: Readonly<RawStoredEvent>) => unknown;

/**
 * Old events are never rewritten (their hash would break); they are upgraded on read.
 * Register `(type, fromVersion) -> function` producing version fromVersion + 1; reading
 * applies the chain until no upcaster is registered for the current version.
 */
export class UpcasterRegistry {
  private readonly upcasters = new Map<string, Upcaster>();
  /** Types with any upcaster: every other event skips the look-up (a rebuild reads millions). */
  private readonly types = new Set<string>();

  register(type: string, fromVersion: number, upcaster: Upcaster): this {
    const key = `${type}@${fromVersion}`;
    if (this.upcasters.has(key))
      throw new Error(`an upcaster for ${type} v${fromVersion} is already registered`);
    this.upcasters.set(key, upcaster);
    this.types.add(type);
    return this;
  }

  upcast<T = unknown>(event: RawStoredEvent): StoredEvent<T> {
    let { data, schemaVersion } = event;
    let upcaster = this.types.has(event.type)
      ? this.upcasters.get(`${event.type}@${schemaVersion}`)
      : undefined;
    while (upcaster) {
      data = upcaster(data, event);
      schemaVersion++;
      upcaster = this.upcasters.get(`${event.type}@${schemaVersion}`);
    }
    return {
      id: event.id,
      stream: event.stream,
      revision: event.revision,
      position: event.position,
      type: event.type,
      schemaVersion,
      data: data as T,
      metadata: event.metadata,
      hash: event.hash,
    };
  }
}
