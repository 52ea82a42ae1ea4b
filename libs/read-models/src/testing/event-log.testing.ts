import { randomUUID } from 'node:crypto';
import type { StoredEvent } from '@engine/event-store';
import type { ReadModelDatabase } from '../database';
import { activeGeneration, commitPage, createGeneration } from '../generations';
import type { Projection } from '../projection';
import { applyToGeneration } from '../runner/apply';

/** Builds stored events as the store would hand them out: revisions per stream, increasing positions. */
export class EventLog {
  readonly events: StoredEvent[] = [];
  private readonly revisions = new Map<string, number>();
  private position = 0;
  now = '2026-03-02T02:00:00.000Z';

  add(stream: string, type: string, data: unknown, occurredAt = this.now): StoredEvent {
    const revision = (this.revisions.get(stream) ?? -1) + 1;
    this.revisions.set(stream, revision);
    this.position += 1 + (this.position % 3 === 0 ? 1 : 0); // positions may have gaps
    const event: StoredEvent = {
      id: randomUUID(),
      stream,
      revision,
      position: this.position,
      type,
      schemaVersion: 1,
      data,
      metadata: {
        correlationId: randomUUID(),
        causationId: randomUUID(),
        actor: { sub: 'tester', role: 'officer' },
        occurredAt,
        recordedAt: occurredAt,
      },
      hash: '0'.repeat(64),
    };
    this.events.push(event);
    return event;
  }

  enterprise(creditCode: string, jurisdiction: string, name = `企业${creditCode.slice(-4)}`) {
    return this.add(`enterprise-${creditCode}`, 'EnterpriseRegistered', {
      creditCode,
      name,
      jurisdiction,
      establishedOn: '2019-05-20',
    });
  }

  round(roundId: string, jurisdiction: string, programme = 'eaglet') {
    return this.add(`round-${roundId}`, 'RoundCreated', {
      roundId,
      programme,
      year: 2026,
      batch: 1,
      title: `${programme} 2026-1`,
      jurisdiction,
      opensAt: '2026-03-01T00:00:00+08:00',
      closesAt: '2026-04-30T17:00:00+08:00',
      quota: null,
      policyVersion: `${programme}/wuxi-2024`,
    });
  }

  application(
    id: string,
    options: {
      roundId: string;
      creditCode: string;
      jurisdiction: string;
      roundJurisdiction: string;
      programme?: string;
    },
  ) {
    return this.add(`application-${id}`, 'ApplicationCreated', {
      applicationId: id,
      roundId: options.roundId,
      programme: options.programme ?? 'eaglet',
      policyVersion: `${options.programme ?? 'eaglet'}/wuxi-2024`,
      creditCode: options.creditCode,
      jurisdiction: options.jurisdiction,
      roundJurisdiction: options.roundJurisdiction,
      data: { employees: 12 },
    });
  }

  submit(id: string, resubmission = false) {
    return this.add(`application-${id}`, 'ApplicationSubmitted', {
      data: { employees: 12 },
      eligibility: { eligible: true, policyVersion: 'eaglet/wuxi-2024', checks: [] },
      policyVersion: 'eaglet/wuxi-2024',
      resubmission,
    });
  }

  review(
    id: string,
    stage: 'district' | 'city',
    decision: 'recommend' | 'return' | 'reject',
    respondBy = '2026-03-16',
  ) {
    const stream = `application-${id}`;
    if (decision === 'recommend') {
      return stage === 'district'
        ? this.add(stream, 'ApplicationRecommended', { stage, reason: '同意' })
        : this.add(stream, 'ApplicationAcceptedForExpertReview', { stage, reason: '同意' });
    }
    if (decision === 'return')
      return this.add(stream, 'ApplicationReturned', { stage, reason: '补充材料', respondBy });
    return this.add(stream, 'ApplicationRejected', { stage, reason: '不符合' });
  }
}

/** Folds events into the projection's active generation (creating it first) in one transaction. */
export async function project(
  db: ReadModelDatabase,
  projection: Projection,
  events: readonly StoredEvent[],
): Promise<void> {
  const generation =
    (await activeGeneration(db.writer, projection.name)) ??
    (await createGeneration(db.writer, db.dialect, projection, 'active'));
  const relevant = events.filter((e) => projection.handles.includes(e.type));
  const next = events.length
    ? Math.max(generation.position, events[events.length - 1].position)
    : generation.position;
  if (next === generation.position) return;
  await commitPage(db.writer, projection, generation.generation, generation.position, next, (trx) =>
    // The dialect as the runner passes it: PostgreSQL rows take the path production takes.
    applyToGeneration(
      trx,
      projection,
      generation.generation,
      relevant,
      db.sqliteWriter,
      undefined,
      db.dialect,
    ),
  );
}
