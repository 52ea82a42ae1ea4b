import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eagletData } from '@engine/incubation/testing/sample-applications';
import { AccountService, ApplicationStatusFeed } from '@engine/read-models';
import { DEVELOPMENT_JWT_SECRET, signToken } from '@engine/platform';
import { liveStreamSettings } from '../apps/api/src/applications/application-stream.controller';
import { LiveStreams } from '../apps/api/src/applications/live-streams';
import { type Harness, startApi } from './support/api-harness';
import { BrowserSession, CONSOLE_HOST } from './support/browser-session';
import { creditCode } from './support/fixtures';

const city = { sub: 'officer-wuxi', role: 'officer' as const, jurisdiction: 'js.wuxi' };
const xinwu = { sub: 'officer-xinwu', role: 'officer' as const, jurisdiction: 'js.wuxi.xinwu' };
const suzhou = { sub: 'officer-suzhou', role: 'officer' as const, jurisdiction: 'js.suzhou' };

interface StatusEvent {
  id: string;
  event: string;
  data: { applicationId: string; status: string; revision: number; reason?: string };
}

/** A minimal SSE client over a real socket: collects events and heartbeat comments. */
function openStream(port: number, path: string, token: string | { cookie: string }) {
  const events: StatusEvent[] = [];
  let comments = 0;
  let buffer = '';
  const waiting: (() => void)[] = [];
  const wake = () => waiting.splice(0).forEach((w) => w());
  let response: IncomingMessage | undefined;
  let markEnded: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (markEnded = resolve));
  const request = httpRequest({
    host: '127.0.0.1',
    port,
    path,
    headers:
      typeof token === 'string'
        ? { authorization: `Bearer ${token}` }
        : { cookie: token.cookie, host: CONSOLE_HOST },
  });
  const opened = new Promise<IncomingMessage>((resolve, reject) => {
    request.on('response', (res) => {
      response = res;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields: Record<string, string> = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments++;
            const at = line.indexOf(': ');
            if (at > 0) fields[line.slice(0, at)] = line.slice(at + 2);
          }
          if (fields.data) events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) });
        }
        wake();
      });
      res.on('end', markEnded);
      res.on('close', markEnded);
      resolve(res);
    });
    request.on('error', reject);
  });
  request.end();
  return {
    opened,
    /** Resolves when the server ends the stream. */
    ended,
    events,
    get comments() {
      return comments;
    },
    /** Waits until `check` holds (time is real here: the stream is a real socket). */
    async until(what: string, check: () => boolean, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (!check()) {
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(events)}`);
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
    statuses: () => events.map((e) => e.data.status),
    close() {
      request.destroy();
      response?.destroy();
    },
  };
}

async function listen(h: Harness): Promise<number> {
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  return (h.app.getHttpServer().address() as AddressInfo).port;
}

/** Sets up an enterprise with a submitted application on `h`; returns its id and owner. */
async function submittedApplication(h: Harness, serial: string) {
  const code = creditCode(`91320214MA1LT${serial}`);
  const owner = { sub: `ent-${code}`, role: 'enterprise' as const, org: code };
  await h.request('POST', '/v1/enterprises', {
    as: owner,
    body: {
      creditCode: code,
      name: `无锡实时状态${serial}有限公司`,
      jurisdiction: 'js.wuxi.xinwu',
      establishedOn: '2019-05-20',
    },
  });
  const round = await h.request('POST', '/v1/rounds', {
    as: city,
    body: {
      programme: 'eaglet',
      year: 2026,
      batch: (Number.parseInt(serial, 10) % 99) + 1, // one round per batch
      title: '实时批次',
      jurisdiction: 'js.wuxi',
      opensAt: '2026-03-01T00:00:00+08:00',
      closesAt: '2026-04-30T17:00:00+08:00',
    },
  });
  const created = await h.request('POST', '/v1/applications', {
    as: owner,
    body: { roundId: round.body.id, creditCode: code, data: eagletData() },
  });
  const submitted = await h.request('POST', `/v1/applications/${created.body.id}/submit`, { as: owner });
  expect(submitted.status).toBe(200);
  return { id: created.body.id as string, owner };
}

const review = (h: Harness, id: string, decision: 'recommend' | 'return') =>
  h.request('POST', `/v1/applications/${id}/reviews`, {
    as: xinwu,
    body: {
      stage: 'district',
      decision,
      reason: decision === 'recommend' ? '同意推荐' : '请补充材料',
      respondBy: '2026-03-20',
    },
  });

/** The submission's revision: after the creation and the four files eaglet 2024 requires. */
const SUBMITTED = 5;

describe('live application status over SSE', () => {
  const opened: Harness[] = [];
  const streams: ReturnType<typeof openStream>[] = [];
  afterEach(async () => {
    streams.splice(0).forEach((s) => s.close());
    liveStreamSettings.heartbeatMs = 15_000;
    // The replica without data of its own first, then the one that owns the directory.
    for (const h of opened.splice(0).reverse()) await h.close();
  });

  it('relays a status committed by one api replica to a client of another, through Redis', async () => {
    const a = await startApi(); // runs the projections: it commits, and publishes
    opened.push(a);
    const b = await startApi({ dataDir: a.dataDir, withWorker: false }); // serves only
    opened.push(b);
    const { id, owner } = await submittedApplication(a, '0001');
    const port = await listen(b);

    const stream = openStream(port, `/v1/applications/${id}/stream`, await b.token(owner));
    streams.push(stream);
    const res = await stream.opened;
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    await stream.until('the current status', () => stream.events.length === 1);
    expect(stream.events[0]).toEqual({
      id: String(SUBMITTED), // the revision
      event: 'status',
      data: { applicationId: id, status: 'submitted', revision: SUBMITTED },
    });
    expect(await b.app.get(ApplicationStatusFeed).ready()).toBe(true);

    expect((await review(a, id, 'return')).status).toBe(200);
    await stream.until('returned, relayed from the other replica', () =>
      stream.statuses().includes('returned'),
    );
    expect(stream.events[1].data).toMatchObject({
      applicationId: id,
      status: 'returned',
      revision: SUBMITTED + 1,
    });
    await a.request('POST', `/v1/applications/${id}/submit`, { as: owner });
    await review(a, id, 'recommend');
    await stream.until('recommended', () => stream.statuses().includes('recommended'));
    expect(stream.statuses()).toEqual(['submitted', 'returned', 'submitted', 'recommended']);
    expect(stream.events.map((e) => Number(e.id))).toEqual([0, 1, 2, 3].map((i) => SUBMITTED + i));
  }, 30_000);

  it('still works within one process when Redis is down', async () => {
    const h = await startApi({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    opened.push(h);
    const { id, owner } = await submittedApplication(h, '0002');
    const stream = openStream(await listen(h), `/v1/applications/${id}/stream`, await h.token(owner));
    streams.push(stream);
    await stream.until('the current status', () => stream.events.length === 1);
    await review(h, id, 'recommend');
    await stream.until('recommended, delivered locally', () => stream.statuses().includes('recommended'));
    expect(stream.statuses()).toEqual(['submitted', 'recommended']);
  }, 30_000);

  it('sends heartbeats, and catches up on a change it was not told of by re-reading the projection', async () => {
    liveStreamSettings.heartbeatMs = 100;
    const a = await startApi();
    opened.push(a);
    // A replica cut off from Redis: it hears of nothing, yet its clients see the change.
    const b = await startApi({
      dataDir: a.dataDir,
      withWorker: false,
      env: { REDIS_URL: 'redis://127.0.0.1:1' },
    });
    opened.push(b);
    const { id, owner } = await submittedApplication(a, '0003');
    const stream = openStream(await listen(b), `/v1/applications/${id}/stream`, await b.token(owner));
    streams.push(stream);
    await stream.until('a heartbeat', () => stream.comments >= 2);
    await review(a, id, 'recommend');
    await stream.until('recommended, re-read at a heartbeat', () =>
      stream.statuses().includes('recommended'),
    );
  }, 30_000);

  it('answers 404 out of reach and 403 to experts, before any stream opens', async () => {
    const h = await startApi();
    opened.push(h);
    const { id } = await submittedApplication(h, '0004');
    expect((await h.request('GET', `/v1/applications/${id}/stream`, { as: suzhou })).status).toBe(404);
    expect(
      (await h.request('GET', `/v1/applications/${id}/stream`, { as: { sub: 'expert-1', role: 'expert' } }))
        .status,
    ).toBe(403);
    expect((await h.request('GET', `/v1/applications/${id}/stream`)).status).toBe(401);
  }, 30_000);

  it('caps the streams one caller holds open (SSE_MAX_STREAMS_PER_CALLER), counting only open ones', async () => {
    const h = await startApi({ env: { SSE_MAX_STREAMS_PER_CALLER: '3' } });
    opened.push(h);
    const { id, owner } = await submittedApplication(h, '0005');
    const port = await listen(h);
    const token = await h.token(owner);
    const mine = [0, 1, 2].map(() => openStream(port, `/v1/applications/${id}/stream`, token));
    streams.push(...mine);
    for (const stream of mine) expect((await stream.opened).statusCode).toBe(200);
    const fourth = openStream(port, `/v1/applications/${id}/stream`, token);
    streams.push(fourth);
    expect((await fourth.opened).statusCode).toBe(429);
    // Another caller is not counted against this one.
    const officer = openStream(port, `/v1/applications/${id}/stream`, await h.token(xinwu));
    streams.push(officer);
    expect((await officer.opened).statusCode).toBe(200);
    // Closing one frees its place.
    mine[0].close();
    const live = h.app.get(LiveStreams);
    const deadline = Date.now() + 20_000;
    while (live.count(owner.sub) > 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const again = openStream(port, `/v1/applications/${id}/stream`, token);
    streams.push(again);
    expect((await again.opened).statusCode).toBe(200);
  }, 30_000);

  it('ends a stream when its token expires, and when the caller signs out', async () => {
    liveStreamSettings.heartbeatMs = 100;
    const h = await startApi();
    opened.push(h);
    const { id, owner } = await submittedApplication(h, '0006');
    const port = await listen(h);
    const shortLived = await signToken(owner, DEVELOPMENT_JWT_SECRET, { now: h.clock.now(), expiresIn: 600 });
    const expiring = openStream(port, `/v1/applications/${id}/stream`, shortLived);
    streams.push(expiring);
    expect((await expiring.opened).statusCode).toBe(200);
    await expiring.until('the current status', () => expiring.statuses().includes('submitted'));
    // The engine's clock passes the token's expiry: the next heartbeat ends the stream.
    h.clock.set(new Date(h.clock.now().getTime() + 11 * 60_000));
    await expiring.ended;
    expect(expiring.events.at(-1)).toMatchObject({ event: 'end', data: { reason: 'token-expired' } });

    const session = openStream(port, `/v1/applications/${id}/stream`, await h.token(owner));
    streams.push(session);
    expect((await session.opened).statusCode).toBe(200);
    await session.until('the current status', () => session.statuses().includes('submitted'));
    expect(h.app.get(LiveStreams).endFor(owner.sub, 'signed-out')).toBe(1);
    await session.ended;
    expect(session.events.at(-1)).toMatchObject({ event: 'end', data: { reason: 'signed-out' } });
  }, 30_000);

  it('ends a console stream when its session signs out, its account is disabled, or its session ends on another replica', async () => {
    liveStreamSettings.heartbeatMs = 100;
    const h = await startApi();
    opened.push(h);
    const { id } = await submittedApplication(h, '0007');
    const port = await listen(h);
    const admin = { sub: 'admin-live', role: 'admin' as const };
    const account = await h.request('POST', '/v1/accounts', {
      as: admin,
      body: {
        role: 'officer',
        login: 'officer.live',
        name: '钱科员',
        jurisdiction: 'js.wuxi.xinwu',
        password: 'Xinwu-officer-2026!',
      },
    });
    expect(account.status).toBe(201);
    const signedIn = async () => {
      const browser = new BrowserSession(h);
      expect((await browser.signIn('officer.live', 'Xinwu-officer-2026!')).status).toBe(200);
      const stream = openStream(port, `/v1/applications/${id}/stream`, { cookie: browser.cookieHeader() });
      streams.push(stream);
      expect((await stream.opened).statusCode).toBe(200);
      await stream.until('the current status', () => stream.statuses().includes('submitted'));
      return { browser, stream };
    };

    // Signing out ends this session's stream at once, and not another session's.
    const laptop = await signedIn();
    const phone = await signedIn();
    expect((await laptop.browser.request('POST', '/v1/auth/sign-out')).status).toBe(204);
    await laptop.stream.ended;
    expect(laptop.stream.events.at(-1)).toMatchObject({ event: 'end', data: { reason: 'signed-out' } });
    expect(h.app.get(LiveStreams).count(account.body.id)).toBe(1);

    // An admin disabling the account ends its remaining streams at once.
    const disabled = await h.request('POST', `/v1/accounts/${account.body.id}/disable`, {
      as: admin,
      body: { reason: '调离岗位' },
    });
    expect(disabled.status).toBe(200);
    await phone.stream.ended;
    expect(phone.stream.events.at(-1)).toMatchObject({ event: 'end', data: { reason: 'access-changed' } });

    // A session ended where this replica cannot see it (another replica, straight in the shared
    // accounts table): the next heartbeat notices.
    await h.request('POST', `/v1/accounts/${account.body.id}/enable`, { as: admin });
    const tablet = await signedIn();
    await h.app.get(AccountService).endSessions(account.body.id);
    await tablet.stream.ended;
    expect(tablet.stream.events.at(-1)).toMatchObject({ event: 'end', data: { reason: 'signed-out' } });
  }, 30_000);
});
