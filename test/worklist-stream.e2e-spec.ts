import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eagletData } from '@engine/incubation/testing/sample-applications';
import type { Principal } from '@engine/platform';
import { type Harness, startApi } from './support/api-harness';
import { creditCode } from './support/fixtures';

/**
 * GET /v1/worklist/stream: one live stream for an officer's whole worklist, with only the
 * applications the officer can see (at or below their jurisdiction).
 */
const city: Principal = { sub: 'officer-wuxi', role: 'officer', jurisdiction: 'js.wuxi' };
const liangxi: Principal = { sub: 'officer-liangxi', role: 'officer', jurisdiction: 'js.wuxi.liangxi' };

jest.setTimeout(30_000);

interface Event {
  event: string;
  data: { applicationId?: string; status?: string; revision?: number };
}

/** A minimal SSE client over a real socket. */
function openStream(port: number, path: string, token: string) {
  const events: Event[] = [];
  let buffer = '';
  let response: IncomingMessage | undefined;
  const request = httpRequest({
    host: '127.0.0.1',
    port,
    path,
    headers: { authorization: `Bearer ${token}` },
  });
  const opened = new Promise<IncomingMessage>((resolve, reject) => {
    request.on('response', (res) => {
      response = res;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const fields: Record<string, string> = {};
          for (const line of buffer.slice(0, end).split('\n')) {
            const at = line.indexOf(': ');
            if (at > 0 && !line.startsWith(':')) fields[line.slice(0, at)] = line.slice(at + 2);
          }
          buffer = buffer.slice(end + 2);
          if (fields.data) events.push({ event: fields.event, data: JSON.parse(fields.data) });
        }
      });
      resolve(res);
    });
    request.on('error', reject);
  });
  request.end();
  return {
    opened,
    events,
    /** Waits until `check` holds (time is real here: the stream is a real socket). */
    async until(what: string, check: () => boolean, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!check()) {
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(events)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close() {
      request.destroy();
      response?.destroy();
    },
  };
}

describe('the worklist stream', () => {
  let h: Harness;
  let port: number;
  const apps: Record<string, string> = {};

  beforeAll(async () => {
    h = await startApi();
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    port = (h.app.getHttpServer().address() as AddressInfo).port;
    const round = await h.request('POST', '/v1/rounds', {
      as: city,
      body: {
        programme: 'eaglet',
        year: 2026,
        batch: 1,
        title: '实时待办批次',
        jurisdiction: 'js.wuxi',
        opensAt: '2026-03-01T00:00:00+08:00',
        closesAt: '2026-04-30T17:00:00+08:00',
      },
    });
    for (const [i, district] of ['js.wuxi.xinwu', 'js.wuxi.liangxi'].entries()) {
      const code = creditCode(`91320214MA1WT${1000 + i}`);
      const owner: Principal = { sub: `ent-${code}`, role: 'enterprise', org: code };
      await h.request('POST', '/v1/enterprises', {
        as: owner,
        body: {
          creditCode: code,
          name: `无锡待办流${i}有限公司`,
          jurisdiction: district,
          establishedOn: '2019-05-20',
        },
      });
      const created = await h.request('POST', '/v1/applications', {
        as: owner,
        body: { roundId: round.body.id, creditCode: code, data: eagletData(i) },
      });
      expect(
        (await h.request('POST', `/v1/applications/${created.body.id}/submit`, { as: owner })).status,
      ).toBe(200);
      apps[district] = created.body.id;
    }
    await h.settle();
  });
  afterAll(async () => {
    await h.close();
  });

  it("sends each status change of the officer's applications, and none of another district's", async () => {
    const cityStream = openStream(port, '/v1/worklist/stream', await h.token(city));
    const districtStream = openStream(port, '/v1/worklist/stream', await h.token(liangxi));
    try {
      expect((await cityStream.opened).headers['content-type']).toMatch(/^text\/event-stream/);
      await districtStream.opened;
      await cityStream.until('ready', () => cityStream.events.some((e) => e.event === 'ready'));
      await districtStream.until('ready', () => districtStream.events.some((e) => e.event === 'ready'));

      const recommend = (id: string, as: Principal) =>
        h.request('POST', `/v1/applications/${id}/reviews`, {
          as,
          body: { stage: 'district', decision: 'recommend', reason: '同意推荐' },
        });
      expect((await recommend(apps['js.wuxi.xinwu'], city)).status).toBe(200);
      await cityStream.until('the Xinwu change', () =>
        cityStream.events.some((e) => e.data.applicationId === apps['js.wuxi.xinwu']),
      );
      expect((await recommend(apps['js.wuxi.liangxi'], liangxi)).status).toBe(200);
      await districtStream.until('the Liangxi change', () =>
        districtStream.events.some((e) => e.data.applicationId === apps['js.wuxi.liangxi']),
      );
      await cityStream.until('the Liangxi change', () =>
        cityStream.events.some((e) => e.data.applicationId === apps['js.wuxi.liangxi']),
      );
      expect(cityStream.events.filter((e) => e.event === 'status').map((e) => e.data.status)).toEqual([
        'recommended',
        'recommended',
      ]);
      // The Liangxi officer heard of Liangxi only (the Xinwu change came first).
      expect(
        districtStream.events.filter((e) => e.event === 'status').map((e) => e.data.applicationId),
      ).toEqual([apps['js.wuxi.liangxi']]);
    } finally {
      cityStream.close();
      districtStream.close();
    }
  });

  it('is for officers only', async () => {
    const code = creditCode('91320214MA1WT1000');
    const enterprise = await h.request('GET', '/v1/worklist/stream', {
      as: { sub: `ent-${code}`, role: 'enterprise', org: code },
    });
    expect(enterprise.status).toBe(403);
    expect((await h.request('GET', '/v1/worklist/stream')).status).toBe(401);
  });
});
