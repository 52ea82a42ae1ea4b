/** The engine's only source of time. Domain code receives instants from it; nothing calls Date.now(). */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/**
 * A clock that only moves when told (CLOCK=manual, POST /v1/admin/clock, tests, the demo).
 * Listeners hear every move so timers can fire what became due.
 */
export class ManualClock extends Clock {
  private current: Date;
  private readonly listeners = new Set<(now: Date) => void>();

  constructor(start: Date = new Date()) {
    super();
    this.current = new Date(start.getTime());
  }

  now(): Date {
    return new Date(this.current.getTime());
  }

  set(instant: Date): void {
    if (Number.isNaN(instant.getTime())) throw new RangeError('not a valid instant');
    this.current = new Date(instant.getTime());
    for (const listener of this.listeners) listener(this.now());
  }

  advance(ms: number): void {
    this.set(new Date(this.current.getTime() + ms));
  }

  onChange(listener: (now: Date) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
