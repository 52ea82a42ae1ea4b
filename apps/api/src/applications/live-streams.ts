import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@engine/platform';

/** Why a live stream ended, sent to the client as the last event (`event: end`). */
export type StreamEndReason = 'token-expired' | 'signed-out' | 'shutdown';

interface OpenStream {
  sub: string;
  end: (reason: StreamEndReason) => void;
}

/**
 * The live streams (SSE) this replica holds open, by caller: at most
 * SSE_MAX_STREAMS_PER_CALLER each (the next is 429 TOO_MANY_STREAMS), and a way to end a
 * caller's streams when its right ends (`endFor`: sign-out, revoked session).
 */
@Injectable()
export class LiveStreams {
  private readonly open = new Set<OpenStream>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get maxPerCaller(): number {
    return this.config.SSE_MAX_STREAMS_PER_CALLER;
  }

  count(sub: string): number {
    let n = 0;
    for (const stream of this.open) if (stream.sub === sub) n++;
    return n;
  }

  /** Registers a stream; undefined when the caller already holds the most it may. */
  add(sub: string, end: (reason: StreamEndReason) => void): (() => void) | undefined {
    if (this.count(sub) >= this.maxPerCaller) return undefined;
    const stream = { sub, end };
    this.open.add(stream);
    return () => this.open.delete(stream);
  }

  /** Ends every stream of a caller (its session ended or was revoked). Returns how many. */
  endFor(sub: string, reason: StreamEndReason = 'signed-out'): number {
    const mine = [...this.open].filter((s) => s.sub === sub);
    for (const stream of mine) stream.end(reason);
    return mine.length;
  }

  endAll(reason: StreamEndReason): void {
    for (const stream of [...this.open]) stream.end(reason);
  }
}
