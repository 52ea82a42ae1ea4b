import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EventStore } from '@engine/event-store';
import { SqliteEventStore } from '@engine/event-store/adapters/sqlite/sqlite-event-store';
import { chinaDate, ManualClock, type PersonalDataVault } from '@engine/platform';
import { applicationStream } from '../domain/application/application.events';
import { enterpriseStream } from '../domain/enterprise/enterprise.events';
import { enterpriseDecider } from '../domain/enterprise/enterprise.decider';
import { roundDecider } from '../domain/round/round.decider';
import { roundStream } from '../domain/round/round.events';
import { loadPolicyCatalog } from '../policies/policy-catalog';
import { eagletData } from '../testing/sample-applications';
import { CatalogPolicyLookup } from '../use-cases/catalog-policy-lookup';
import { CreateApplicationCommand } from '../use-cases/create-application/create-application.command';
import { CreateApplicationHandler } from '../use-cases/create-application/create-application.handler';
import { RaiseObjectionHandler } from '../use-cases/raise-objection/raise-objection.handler';
import { RaiseObjectionCommand } from '../use-cases/raise-objection/raise-objection.command';
import { type CommandContext, PreconditionFailedError, requestDigest } from './command-context';
import { AggregateCache, Aggregates } from './handle-command';

const policies = new CatalogPolicyLookup(loadPolicyCatalog(resolve(__dirname, '../../../../policies')));
const EAGLET = policies.inForce('eaglet', '2026-05-06', 'js.wuxi.xinwu')!;
const officer = { sub: 'officer-1', role: 'officer' as const };
const keyed = (key: string, body: unknown = key): CommandContext => ({
  actor: officer,
  correlationId: `c-${key}`,
  idempotencyKey: key,
  requestHash: requestDigest([body]),
});
const plain: CommandContext = { actor: officer, correlationId: 'c-plain' };
const round = (roundId: string, opensAt: string, closesAt: string) => ({
  roundId,
  programme: 'eaglet',
  year: 2026,
  batch: 1,
  title: '2026年第一批雏鹰企业',
  jurisdiction: 'js.wuxi',
  opensAt,
  closesAt,
  quota: null,
  policyVersion: EAGLET.version,
});

/**
 * The one command handler on a real SQLite store: a repeated Idempotency-Key answers the first
 * outcome whatever happened since, a stale If-Match is 412, and a command that loses a race
 * (another replica appended between its read and its append) is gathered and decided again.
 */
describe('handleCommand on SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'handle-command-'));
  const file = join(dir, 'events.sqlite');
  const clock = new ManualClock(new Date('2026-05-06T02:00:00Z'));
  const now = () => clock.now();
  const store = new EventStore(new SqliteEventStore({ file, now }));
  const replica = new EventStore(new SqliteEventStore({ file, now }));
  const aggregates = new Aggregates(store, clock);
  const rounds = aggregates.of(roundDecider);

  afterAll(async () => {
    await store.close();
    await replica.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a repeated key with the first outcome after the world moved on, and appends nothing', async () => {
    const id = 'a1b2c3d4-0000-4000-8000-000000000001';
    const create = () =>
      rounds.handle(roundStream(id), keyed('create-1'), () => ({
        type: 'CreateRound',
        now: clock.now(),
        data: round(id, '2026-05-01T00:00:00Z', '2026-06-30T00:00:00Z'),
      }));
    const first = await create();
    await rounds.handle(roundStream(id), plain, () => ({
      type: 'CloseRound',
      now: clock.now(),
      reason: '提前截止',
    }));

    const again = await create(); // decided now, this would be ROUND_EXISTS
    expect(again).toMatchObject({ replayed: true, revision: first.revision, events: first.events });
    expect(again.state.closedAt).toBeUndefined();
    expect(await store.readStream(roundStream(id))).toHaveLength(2);
    await expect(
      rounds.handle(roundStream(id), keyed('create-1', 'another body'), () => undefined),
    ).rejects.toMatchObject({ name: 'IdempotencyKeyReusedError' });
  });

  it('refuses a stale If-Match with 412 before deciding', async () => {
    const id = 'a1b2c3d4-0000-4000-8000-000000000002';
    await rounds.handle(roundStream(id), plain, () => ({
      type: 'CreateRound',
      now: clock.now(),
      data: round(id, '2026-05-01T00:00:00Z', '2026-06-30T00:00:00Z'),
    }));
    const gather = jest.fn(() => ({ type: 'CloseRound' as const, now: clock.now(), reason: '提前截止' }));
    await expect(rounds.handle(roundStream(id), { ...plain, ifMatch: 3 }, gather)).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
    expect(gather).not.toHaveBeenCalled();
  });

  const otherReplicaAppends = (stream: string, expected: number, type: string, data: unknown) =>
    replica.append(
      stream,
      [
        {
          id: randomUUID(),
          type,
          data,
          metadata: {
            correlationId: 'c-other',
            causationId: 'c-other',
            actor: officer,
            occurredAt: clock.now().toISOString(),
          },
        },
      ],
      expected,
    );

  it('gathers and decides again on the new state when another replica wins the race', async () => {
    const stream = enterpriseStream('91320214MA1XXXXXX1');
    const enterprises = aggregates.of(enterpriseDecider);
    await enterprises.handle(stream, plain, () => ({
      type: 'RegisterEnterprise',
      data: {
        creditCode: '91320214MA1XXXXXX1',
        name: '无锡雏鹰科技有限公司',
        jurisdiction: 'js.wuxi.xinwu',
        establishedOn: '2020-01-01',
      },
      today: '2026-05-06',
    }));
    const seen: number[] = [];
    const recorded = await enterprises.handle(stream, plain, async (current) => {
      seen.push(current.revision);
      if (seen.length === 1) {
        // Between this read and our append, another replica records a membership.
        await otherReplicaAppends(stream, 0, 'EnterpriseMembershipRecorded', {
          membershipId: 'm-other',
          programme: 'gazelle',
          validFrom: '2026-05-06',
        });
      }
      return {
        type: 'RecordMembership',
        membership: { membershipId: 'm-1', programme: 'eaglet', validFrom: '2026-05-06' },
      };
    });
    expect(seen).toEqual([0, 1]);
    expect(recorded.revision).toBe(2);
    expect(recorded.state.memberships?.map((m) => m.membershipId)).toEqual(['m-other', 'm-1']);
  });

  it('re-evaluates the preconditions after a lost race, and answers 412 when If-Match was given', async () => {
    const id = 'a1b2c3d4-0000-4000-8000-000000000003';
    await rounds.handle(roundStream(id), plain, () => ({
      type: 'CreateRound',
      now: clock.now(),
      data: round(id, '2026-05-01T00:00:00Z', '2026-06-30T00:00:00Z'),
    }));
    const closeRacing = (context: CommandContext, expected: number) => {
      let raced = false;
      return rounds.handle(roundStream(id), context, async () => {
        if (!raced) {
          raced = true;
          await otherReplicaAppends(roundStream(id), expected, 'RoundClosed', {
            closedAt: clock.now().toISOString(),
            reason: '另一副本',
          });
        }
        return { type: 'CloseRound', now: clock.now(), reason: '提前截止' };
      });
    };
    // The retry sees the other replica's close: closing again is refused, not doubled.
    await expect(closeRacing(plain, 0)).rejects.toMatchObject({ code: 'ROUND_CLOSED' });
    expect(await store.readStream(roundStream(id))).toHaveLength(2);

    const id2 = 'a1b2c3d4-0000-4000-8000-000000000004';
    await rounds.handle(roundStream(id2), plain, () => ({
      type: 'CreateRound',
      now: clock.now(),
      data: round(id2, '2026-05-01T00:00:00Z', '2026-06-30T00:00:00Z'),
    }));
    let raced = false;
    await expect(
      rounds.handle(roundStream(id2), { ...plain, ifMatch: 0 }, async () => {
        if (!raced) {
          raced = true;
          await otherReplicaAppends(roundStream(id2), 0, 'RoundClosed', {
            closedAt: clock.now().toISOString(),
            reason: '另一副本',
          });
        }
        return { type: 'CloseRound', now: clock.now(), reason: '提前截止' };
      }),
    ).rejects.toMatchObject({ name: 'PreconditionFailedError', expected: 0, actual: 1 });
  });

  describe('the cache of folded aggregates never serves a stale state', () => {
    const createRound = (id: string) =>
      rounds.handle(roundStream(id), plain, () => ({
        type: 'CreateRound',
        now: clock.now(),
        data: round(id, '2026-05-01T00:00:00Z', '2026-06-30T00:00:00Z'),
      }));

    /** When another process closed the round (the clock of this one says 02:00). */
    const OTHER_CLOSED_AT = '2026-05-06T01:00:00.000Z';

    it('reads only the events after the cached revision, and sees what another process appended', async () => {
      const id = 'a1b2c3d4-0000-4000-8000-000000000010';
      await createRound(id);
      const reads = jest.spyOn(store, 'readStream');
      const tips = jest.spyOn(store, 'streamTip');
      // Folded at revision 0 by the create: the stream's tip is that event, so nothing is read.
      expect((await aggregates.round(id)).state.closedAt).toBeUndefined();
      expect(tips).toHaveBeenLastCalledWith(roundStream(id));
      expect(reads).not.toHaveBeenCalled();
      // Another process (its own connection to the file) closes the round.
      await otherReplicaAppends(roundStream(id), 0, 'RoundClosed', {
        closedAt: OTHER_CLOSED_AT,
        reason: '另一副本',
      });
      const loaded = await aggregates.round(id);
      expect(loaded.revision).toBe(1);
      expect(loaded.state.closedAt).toBe(OTHER_CLOSED_AT);
      // The tip moved on: the events after the cached revision were read (the one there checked).
      expect(reads).toHaveBeenLastCalledWith(roundStream(id), { fromRevision: 0 });
      tips.mockRestore();
      // A command decides on the state with the other process's event, without losing a race.
      const gather = jest.fn(() => ({ type: 'CloseRound' as const, now: clock.now(), reason: '再关' }));
      await expect(rounds.handle(roundStream(id), plain, gather)).rejects.toMatchObject({
        code: 'ROUND_CLOSED',
      });
      expect(gather).toHaveBeenCalledTimes(1);
      reads.mockRestore();
    });

    it('a command whose append loses to another process decides again on the store’s state', async () => {
      const id = 'a1b2c3d4-0000-4000-8000-000000000011';
      await createRound(id);
      await aggregates.round(id); // cached at revision 0
      let raced = false;
      await expect(
        rounds.handle(roundStream(id), plain, async () => {
          if (!raced) {
            raced = true;
            await otherReplicaAppends(roundStream(id), 0, 'RoundClosed', {
              closedAt: OTHER_CLOSED_AT,
              reason: '另一副本',
            });
          }
          return { type: 'CloseRound', now: clock.now(), reason: '提前截止' };
        }),
      ).rejects.toMatchObject({ code: 'ROUND_CLOSED' });
      expect((await aggregates.round(id)).state.closedAt).toBe(OTHER_CLOSED_AT);
    });

    it('reads a stream whole when the event at the cached revision is not the one folded (a restored file)', async () => {
      const id = 'a1b2c3d4-0000-4000-8000-000000000012';
      const cache = new AggregateCache();
      await createRound(id);
      await rounds.handle(roundStream(id), plain, () => ({
        type: 'CloseRound',
        now: clock.now(),
        reason: '提前截止',
      }));
      expect((await cache.load(store, roundDecider, roundStream(id))).revision).toBe(1);
      // The same stream in an older copy of the data: only its first event, then another one.
      const olderDir = mkdtempSync(join(tmpdir(), 'handle-command-older-'));
      const older = new EventStore(new SqliteEventStore({ file: join(olderDir, 'events.sqlite'), now }));
      try {
        const [created] = await store.readStream(roundStream(id));
        await older.append(roundStream(id), [{ ...created, metadata: created.metadata }], 'no-stream');
        const atZero = await cache.load(older, roundDecider, roundStream(id));
        expect(atZero.revision).toBe(0);
        expect(atZero.state.closedAt).toBeUndefined();
        await older.append(
          roundStream(id),
          [
            {
              id: randomUUID(),
              type: 'RoundClosed',
              data: { closedAt: OTHER_CLOSED_AT, reason: '旧副本' },
              metadata: created.metadata,
            },
          ],
          0,
        );
        // Cached at the older copy's revision 0; the newer file holds the same event there.
        expect((await cache.load(store, roundDecider, roundStream(id))).state.closedAt).toBe(
          clock.now().toISOString(),
        );
        // Cached at the newer file's revision 1; the older copy holds another event there.
        const fromOlder = await cache.load(older, roundDecider, roundStream(id));
        expect(fromOlder.revision).toBe(1);
        expect(fromOlder.state.closedAt).toBe(OTHER_CLOSED_AT);
        expect((await cache.load(store, roundDecider, roundStream(id))).state.closedAt).toBe(
          clock.now().toISOString(),
        );
      } finally {
        await older.close();
        rmSync(olderDir, { recursive: true, force: true });
      }
    });

    it('holds at most its capacity of aggregates, the least recently used leaving first', async () => {
      const cache = new AggregateCache(2);
      const ids = ['13', '14', '15'].map((n) => `a1b2c3d4-0000-4000-8000-0000000000${n}`);
      for (const id of ids) await createRound(id);
      await cache.load(store, roundDecider, roundStream(ids[0]));
      await cache.load(store, roundDecider, roundStream(ids[1]));
      await cache.load(store, roundDecider, roundStream(ids[0]));
      await cache.load(store, roundDecider, roundStream(ids[2]));
      expect(cache.size).toBe(2);
      const reads = jest.spyOn(store, 'readStream');
      await cache.load(store, roundDecider, roundStream(ids[1])); // evicted: read whole
      expect(reads).toHaveBeenLastCalledWith(roundStream(ids[1]));
      expect(reads).toHaveBeenCalledTimes(1);
      await cache.load(store, roundDecider, roundStream(ids[2])); // kept: its tip is checked, nothing read
      expect(reads).toHaveBeenCalledTimes(1);
      reads.mockRestore();
    });
  });

  describe('the two replay defects (issue #14)', () => {
    const creditCode = '91320214MA1YYYYYY2';
    const roundId = 'c0000000-0000-4000-8000-000000000001';
    const enterprise = { sub: 'ent-1', role: 'enterprise' as const, org: creditCode };
    const createContext = (key: string): CommandContext => ({
      actor: { sub: 'ent-1', role: 'enterprise' },
      correlationId: `c-${key}`,
      idempotencyKey: key,
      requestHash: requestDigest(['POST', '/v1/applications', { roundId }]),
    });

    beforeAll(async () => {
      await aggregates.of(enterpriseDecider).handle(enterpriseStream(creditCode), plain, () => ({
        type: 'RegisterEnterprise',
        data: {
          creditCode,
          name: '无锡示例科技有限公司',
          jurisdiction: 'js.wuxi.xinwu',
          establishedOn: '2021-03-01',
        },
        today: '2026-05-06',
      }));
      await rounds.handle(roundStream(roundId), plain, () => ({
        type: 'CreateRound',
        now: clock.now(),
        data: round(roundId, '2026-05-01T00:00:00Z', '2026-05-20T00:00:00Z'),
      }));
    });

    it('a repeated create after its round closed answers the first response, not ROUND_CLOSED', async () => {
      const handler = new CreateApplicationHandler(aggregates, policies, clock);
      const applicationId = 'd0000000-0000-4000-8000-000000000001';
      const create = (key: string) =>
        handler.execute(
          new CreateApplicationCommand(
            applicationId,
            { roundId, creditCode, data: eagletData() },
            enterprise,
            createContext(key),
          ),
        );
      const first = await create('apply-1');
      expect(first.application).toMatchObject({ revision: 0, state: { status: 'draft' } });

      clock.set(new Date('2026-05-21T02:00:00Z')); // the round's window is over
      const again = await create('apply-1');
      expect(again.application).toMatchObject({ revision: 0, state: { status: 'draft' } });
      expect(again.eligibility.eligible).toBe(first.eligibility.eligible);
      // A new request (another key) is decided now, and refused.
      await expect(
        handler.execute(
          new CreateApplicationCommand(
            'd0000000-0000-4000-8000-000000000002',
            { roundId, creditCode, data: eagletData() },
            enterprise,
            createContext('apply-2'),
          ),
        ),
      ).rejects.toMatchObject({ code: 'ROUND_CLOSED' });
    });

    it('a repeated objection answers the id of the first one, also after another objection', async () => {
      const applicationId = 'd0000000-0000-4000-8000-000000000001';
      const today = chinaDate(clock.now());
      await otherReplicaAppends(applicationStream(applicationId), 0, 'ApplicationPublicised', {
        roundId,
        startsOn: today,
        endsOn: '2026-06-30',
      });
      await otherReplicaAppends(roundStream(roundId), 0, 'PublicityStarted', {
        startsOn: today,
        endsOn: '2026-06-30',
        workingDays: 5,
        provisional: false,
        proposed: [{ applicationId, creditCode, name: '无锡示例科技有限公司', score: '80' }],
      });
      const vault = {
        subjectFor: (kind: string, id: string) => `${kind}:${id}`,
        seal: async (subject: string) => ({ subject, sealed: 'x' }),
      } as unknown as PersonalDataVault;
      const handler = new RaiseObjectionHandler(aggregates, vault, clock);
      const objection = (key: string) =>
        handler.execute(
          new RaiseObjectionCommand(
            'ignored',
            applicationId,
            {
              objector: { name: '张三', idNumber: '11010519491231002X', phone: '13800138000' },
              grounds: '研发费用数据不实',
              evidence: ['审计报告第3页'],
            },
            {
              actor: { sub: 'public', role: 'public' },
              correlationId: `c-${key}`,
              idempotencyKey: key,
              requestHash: requestDigest(['objection', applicationId]),
            },
          ),
        );
      expect(await objection('object-1')).toBe(`${roundId}.1`);
      expect(await objection('object-2')).toBe(`${roundId}.2`);
      expect(await objection('object-1')).toBe(`${roundId}.1`);
    });
  });
});
