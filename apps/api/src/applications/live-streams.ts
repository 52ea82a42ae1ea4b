import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { APP_CONFIG, type AppConfig, Clock, errorResponse, type Principal } from '@engine/platform';
import { AccountService } from '@engine/read-models';
import type { AuthenticatedRequest } from '../auth/auth.decorators';
import { HttpError } from '../http/http-error';

/**
 * A comment line every `heartbeatMs` keeps proxies from closing an idle stream; the streams'
 * sessions are checked as often. (Tests shorten it.)
 */
export const liveStreamSettings = { heartbeatMs: 15_000 };

/** Why a live stream ended, sent to the client as the last event (`event: end`). */
export type StreamEndReason = 'token-expired' | 'signed-out' | 'access-changed' | 'shutdown';

/** An open stream as its controller sees it: write events to it while it is open. */
export interface LiveStream {
  /** Writes raw SSE text (`event: ...\ndata: ...\n\n`); nothing once the stream ended. */
  write(text: string): void;
  /** True once the stream ended (the client left, the caller's right ended, shutdown). */
  readonly closed: boolean;
}

/** What one kind of stream adds to the common part. */
export interface LiveStreamSource {
  /**
   * Subscribes and writes the first events (the stream is open, its headers sent); returns
   * how to unsubscribe when the stream ends.
   */
  start(stream: LiveStream): () => void;
  /** Called at each heartbeat after its comment line, e.g. to re-read what might have been missed. */
  onHeartbeat?(stream: LiveStream): void;
}

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
  private readonly held = new Set<OpenStream>();
  private sessionCheck?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(AccountService) private readonly accounts: AccountService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /**
   * Opens a Server-Sent Events stream on the raw reply (Nest's @Sse would need an Observable
   * per client and adds nothing here) for a caller already allowed to follow what it streams:
   * refused with 429 TOO_MANY_STREAMS past the caller's limit and 401 when its token has
   * expired; then `retry: 3000`, the source's first events, a heartbeat comment every
   * `heartbeatMs`. The stream lives no longer than the caller's right: the token's expiry is
   * checked at each heartbeat against the engine's clock and by a timer set to it, and a cookie
   * session ends its streams (on this replica at once, on another at its next session check).
   * `event: end` with the reason tells the client not to reconnect with the same token.
   */
  open(
    caller: Principal,
    request: AuthenticatedRequest,
    reply: FastifyReply,
    source: LiveStreamSource,
  ): void {
    if (this.count(caller.sub) >= this.maxPerCaller) {
      throw new HttpError(
        errorResponse(
          429,
          'TOO_MANY_STREAMS',
          `at most ${this.maxPerCaller} live streams at once per caller; close one first`,
        ),
      );
    }
    const expiresAt = caller.expiresAt === undefined ? undefined : caller.expiresAt * 1000;
    if (expiresAt !== undefined && expiresAt <= this.clock.now().getTime()) {
      throw new HttpError(errorResponse(401, 'UNAUTHENTICATED', 'token expired'));
    }

    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.write('retry: 3000\n\n');
    let closed = false;
    const stream: LiveStream = {
      write: (text) => {
        if (!closed && !raw.writableEnded) raw.write(text);
      },
      get closed() {
        return closed;
      },
    };
    const unsubscribe = source.start(stream);
    const expired = () => expiresAt !== undefined && this.clock.now().getTime() >= expiresAt;
    const heartbeat = setInterval(() => {
      if (expired()) {
        close('token-expired');
        return;
      }
      raw.write(': heartbeat\n\n');
      source.onHeartbeat?.(stream);
    }, liveStreamSettings.heartbeatMs);
    heartbeat.unref();
    const expiry =
      expiresAt === undefined
        ? undefined
        : setTimeout(
            () => close('token-expired'),
            Math.min(2 ** 31 - 1, expiresAt - this.clock.now().getTime()),
          );
    expiry?.unref();
    const close = (reason?: StreamEndReason) => {
      if (closed) return;
      closed = true;
      unregister?.();
      clearInterval(heartbeat);
      if (expiry) clearTimeout(expiry);
      unsubscribe();
      if (!raw.writableEnded) {
        if (reason) raw.write(`event: end\ndata: ${JSON.stringify({ reason })}\n\n`);
        raw.end();
      }
    };
    const unregister = this.add(caller.sub, close, request.session?.id);
    if (!unregister) {
      // Raced past the count above by another request of the same caller.
      close();
      return;
    }
    // The response's 'close': the client went away or the stream was ended (the request's own
    // 'close' only says that its body was read).
    raw.on('close', () => close());
  }

  get maxPerCaller(): number {
    return this.config.SSE_MAX_STREAMS_PER_CALLER;
  }

  count(sub: string): number {
    let n = 0;
    for (const stream of this.held) if (stream.sub === sub) n++;
    return n;
  }

  /** Registers a stream; undefined when the caller already holds the most it may. */
  add(sub: string, end: (reason: StreamEndReason) => void, sessionId?: string): (() => void) | undefined {
    if (this.count(sub) >= this.maxPerCaller) return undefined;
    const stream: OpenStream = { sub, end, ...(sessionId ? { sessionId } : {}) };
    this.held.add(stream);
    if (sessionId && !this.sessionCheck) {
      this.sessionCheck = setInterval(() => void this.endEndedSessions(), liveStreamSettings.heartbeatMs);
      this.sessionCheck.unref();
    }
    return () => this.held.delete(stream);
  }

  /** Ends every stream of a caller (its session ended or was revoked). Returns how many. */
  endFor(sub: string, reason: StreamEndReason = 'signed-out'): number {
    const mine = [...this.held].filter((s) => s.sub === sub);
    for (const stream of mine) stream.end(reason);
    return mine.length;
  }

  /** Ends the streams opened with one browser session (it signed out). Returns how many. */
  endForSession(sessionId: string, reason: StreamEndReason = 'signed-out'): number {
    const mine = [...this.held].filter((s) => s.sessionId === sessionId);
    for (const stream of mine) stream.end(reason);
    return mine.length;
  }

  /** Ends the streams whose browser session has ended anywhere (another replica, an admin). */
  private async endEndedSessions(): Promise<void> {
    const sessions = new Set([...this.held].map((s) => s.sessionId).filter((id): id is string => !!id));
    for (const id of sessions) {
      const alive = await this.accounts.sessionAlive(id).catch(() => true); // unknown: keep it
      if (!alive) this.endForSession(id, 'signed-out');
    }
  }

  onModuleDestroy(): void {
    if (this.sessionCheck) clearInterval(this.sessionCheck);
  }

  endAll(reason: StreamEndReason): void {
    for (const stream of [...this.held]) stream.end(reason);
  }
}
