import { randomUUID } from 'node:crypto';
import type { EventStore, ExpectedRevision } from '@engine/event-store';
import {
  applicationDecider,
  type ApplicationState,
  createApplication,
  reviewApplication,
  submitApplication,
  updateApplicationData,
  withdrawForMissedDeadline,
} from '@engine/incubation/domain/application/application.decider';
import type {
  ApplicationEvent,
  EligibilityRecord,
} from '@engine/incubation/domain/application/application.events';
import type { DomainEvent } from '@engine/incubation/domain/shared/domain-event';

/** A small deterministic PRNG (mulberry32), so a failing seed can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RandomWorkflowOptions {
  seed: number;
  enterprises: number;
  rounds: number;
  /** Commands to run after the enterprises and rounds exist (new applications and decisions). */
  steps: number;
  /** The store's clock (the caller's `now` for the store): advanced between commands. */
  clock: { now: Date };
  /** Called after each command, e.g. to yield to a running projection. */
  afterStep?: (step: number) => Promise<void> | void;
}

const DISTRICTS = ['js.wuxi.xinwu', 'js.wuxi.liangxi', 'js.wuxi.binhu', 'js.suzhou.sip', 'js.suzhou.wuzhong'];
const ISSUERS = ['js.wuxi', 'js.suzhou', 'js'];
const PROGRAMMES = ['eaglet', 'gazelle', 'quasi-unicorn'];

const eligibility = { eligible: true, policyVersion: 'test', checks: [] } as unknown as EligibilityRecord;

/**
 * Drives enterprises, rounds and applications through random but valid histories, deciding
 * every event with the domain's own functions and appending it with its exact expected
 * revision, as the engine's command handlers do.
 */
export async function randomWorkflow(store: EventStore, options: RandomWorkflowOptions): Promise<number> {
  const random = prng(options.seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const clock = options.clock;
  const today = () => clock.now.toISOString().slice(0, 10);
  let events = 0;
  const append = async (stream: string, decided: DomainEvent[], expected: ExpectedRevision) => {
    if (decided.length === 0) return;
    await store.append(
      stream,
      decided.map((e) => ({
        type: e.type,
        data: e.data,
        metadata: {
          correlationId: randomUUID(),
          causationId: randomUUID(),
          actor: { sub: `user-${Math.floor(random() * 5)}`, role: pick(['enterprise', 'officer']) },
          occurredAt: clock.now.toISOString(),
        },
      })),
      expected,
    );
    events += decided.length;
    clock.now = new Date(clock.now.getTime() + Math.floor(random() * 6 * 3600_000));
  };

  const enterprises: { code: string; jurisdiction: string }[] = [];
  for (let i = 0; i < options.enterprises; i++) {
    const code = `E${options.seed}X${String(i).padStart(5, '0')}`;
    const jurisdiction = pick(DISTRICTS);
    enterprises.push({ code, jurisdiction });
    await append(
      `enterprise-${code}`,
      [
        {
          type: 'EnterpriseRegistered',
          data: { creditCode: code, name: `随机企业${i}有限公司`, jurisdiction, establishedOn: '2019-05-20' },
        },
      ],
      'no-stream',
    );
  }
  const rounds: { id: string; jurisdiction: string; programme: string }[] = [];
  for (let i = 0; i < options.rounds; i++) {
    const round = { id: `R${options.seed}X${i}`, jurisdiction: pick(ISSUERS), programme: pick(PROGRAMMES) };
    rounds.push(round);
    await append(
      `round-${round.id}`,
      [
        {
          type: 'RoundCreated',
          data: {
            roundId: round.id,
            programme: round.programme,
            year: 2026,
            batch: i + 1,
            title: `随机批次${i}`,
            jurisdiction: round.jurisdiction,
            opensAt: '2026-03-01T00:00:00+08:00',
            closesAt: '2026-04-30T17:00:00+08:00',
            quota: random() < 0.5 ? null : 10 + i,
            policyVersion: `${round.programme}/test`,
          },
        },
      ],
      'no-stream',
    );
  }

  const applications = new Map<string, { state: ApplicationState; revision: number }>();
  const closed = new Set<string>();
  for (let step = 0; step < options.steps; step++) {
    const open = [...applications.entries()].filter(
      ([, a]) => !['rejected', 'withdrawn', 'in-expert-review'].includes(a.state.status),
    );
    if (open.length === 0 || random() < 0.3) {
      const id = `A${options.seed}X${String(step).padStart(6, '0')}`;
      const enterprise = pick(enterprises);
      const round = pick(rounds.filter((r) => !closed.has(r.id)));
      const decided = createApplication(applicationDecider.initialState(), {
        applicationId: id,
        roundId: round.id,
        programme: round.programme,
        policyVersion: `${round.programme}/test`,
        creditCode: enterprise.code,
        jurisdiction: enterprise.jurisdiction,
        roundJurisdiction: round.jurisdiction,
        data: { employees: 10 + step },
      });
      await append(`application-${id}`, decided, 'no-stream');
      applications.set(id, { state: fold(applicationDecider.initialState(), decided), revision: 0 });
    } else if (random() < 0.05 && closed.size < rounds.length - 1) {
      // Now and then a round is closed early (once: a second close is refused by the domain).
      const round = pick(rounds.filter((r) => !closed.has(r.id)));
      closed.add(round.id);
      await append(
        `round-${round.id}`,
        [{ type: 'RoundClosed', data: { closedAt: clock.now.toISOString(), reason: '随机截止' } }],
        0,
      );
    } else {
      const [id, application] = pick(open);
      const state = application.state;
      let decided: ApplicationEvent[] = [];
      switch (state.status) {
        case 'draft':
          decided =
            random() < 0.2
              ? updateApplicationData(state, { employees: Math.floor(random() * 100) })
              : submitApplication(state, { withinWindow: true, eligibility, today: today() });
          break;
        case 'submitted':
        case 'recommended': {
          const roll = random();
          const decision = roll < 0.6 ? 'recommend' : roll < 0.85 ? 'return' : 'reject';
          const respondBy = new Date(clock.now.getTime() + 3 * 86_400_000).toISOString().slice(0, 10);
          decided = reviewApplication(state, {
            stage: state.awaiting as 'district' | 'city',
            decision,
            reason: `随机意见${step}`,
            respondBy,
            today: today(),
          });
          break;
        }
        case 'returned':
          if (today() > state.returned!.respondBy) decided = withdrawForMissedDeadline(state, today());
          else if (random() < 0.3) decided = updateApplicationData(state, { employees: step });
          else decided = submitApplication(state, { withinWindow: false, eligibility, today: today() });
          break;
      }
      await append(`application-${id}`, decided, application.revision);
      applications.set(id, { state: fold(state, decided), revision: application.revision + decided.length });
    }
    await options.afterStep?.(step);
  }
  return events;
}

function fold(state: ApplicationState, events: ApplicationEvent[]): ApplicationState {
  return events.reduce((s, e) => applicationDecider.evolve(s, e), state);
}
