import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@engine/platform';
import { AccountService } from '@engine/read-models';

/**
 * A comment line every `heartbeatMs` keeps proxies from closing an idle stream; the streams'
 * sessions are checked as often. (Tests shorten it.)
 */
export const liveStreamSettings = { heartbeatMs: 15_000 };

/** Why a live stream ended, sent to the client as the last event (`event: end`). */
export type StreamEndReason = 'token-expired' | 'signed-out' | 'access-changed' | 'shutdown';

interface OpenStream {
  sub: string;
  /** The browser session the stream was opened with (cookie callers only). */
  sessionId?: string;
  end: (reason: StreamEndReason) => void;
}

/**
 * The live streams (SSE) this replica holds open, by caller: at most
 * SSE_MAX_STREAMS_PER_CALLER each (the next is 429 TOO_MANY_STREAMS), and a way to end a
 * caller's streams when its right ends: `endForSession` when a browser session signs out,
 * `endFor` when every session of an account ends (sign-out everywhere, or an admin disabling
 * it, changing its role, resetting its password or second factor). That is this replica's
 * share; a stream held by another replica ends at this replica's next session check (every
 * heartbeat), which asks the shared accounts table without counting as activity, so an open
 * page never keeps an idle session alive.
 */
@Injectable()
export class LiveStreams implements OnModuleDestroy {
  private readonly open = new Set<OpenStream>();
  private sessionCheck?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(AccountService) private readonly accounts: AccountService,
  ) {}

  get maxPerCaller(): number {
    return this.config.SSE_MAX_STREAMS_PER_CALLER;
  }

  count(sub: string): number {
    let n = 0;
    for (const stream of this.open) if (stream.sub === sub) n++;
    return n;
  }

  /** Registers a stream; undefined when the caller already holds the most it may. */
  add(sub: string, end: (reason: StreamEndReason) => void, sessionId?: string): (() => void) | undefined {
    if (this.count(sub) >= this.maxPerCaller) return undefined;
    const stream: OpenStream = { sub, end, ...(sessionId ? { sessionId } : {}) };
    this.open.add(stream);
    if (sessionId && !this.sessionCheck) {
      this.sessionCheck = setInterval(() => void this.endEndedSessions(), liveStreamSettings.heartbeatMs);
      this.sessionCheck.unref();
    }
    return () => this.open.delete(stream);
  }

  /** Ends every stream of a caller (its session ended or was revoked). Returns how many. */
  endFor(sub: string, reason: StreamEndReason = 'signed-out'): number {
    const mine = [...this.open].filter((s) => s.sub === sub);
    for (const stream of mine) stream.end(reason);
    return mine.length;
  }

  /** Ends the streams opened with one browser session (it signed out). Returns how many. */
  endForSession(sessionId: string, reason: StreamEndReason = 'signed-out'): number {
    const mine = [...this.open].filter((s) => s.sessionId === sessionId);
    for (const stream of mine) stream.end(reason);
    return mine.length;
  }

  /** Ends the streams whose browser session has ended anywhere (another replica, an admin). */
  private async endEndedSessions(): Promise<void> {
    const sessions = new Set([...this.open].map((s) => s.sessionId).filter((id): id is string => !!id));
    for (const id of sessions) {
      const alive = await this.accounts.sessionAlive(id).catch(() => true); // unknown: keep it
      if (!alive) this.endForSession(id, 'signed-out');
    }
  }

  onModuleDestroy(): void {
    if (this.sessionCheck) clearInterval(this.sessionCheck);
  }

  endAll(reason: StreamEndReason): void {
    for (const stream of [...this.open]) stream.end(reason);
  }
}
