import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore } from '@engine/event-store';
import { SqliteEventStore } from '@engine/event-store/adapters/sqlite/sqlite-event-store';
import { ManualClock } from '@engine/platform';
import { parseDocumentNumber } from '../../domain/documents/document-number';
import { DomainError } from '../../domain/shared/domain-error';
import type { CommandContext } from '../../infrastructure/command-context';
import { DocumentNumberRegistry } from './document-number-registry';

const context: CommandContext = {
  actor: { sub: 'officer-1', role: 'officer' },
  correlationId: 'c-1',
};
const number = (text: string) => {
  const parsed = parseDocumentNumber(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
};

/**
 * The store decides who holds a document number: two api replicas (two EventStore instances
 * over one SQLite file) reserving the same number for different rounds at once, exactly one
 * wins; the same use again is no conflict.
 */
describe('document number reservations in the event store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'doc-numbers-'));
  const file = join(dir, 'events.sqlite');
  const clock = new ManualClock(new Date('2026-05-06T02:00:00Z'));
  const now = () => clock.now();
  const stores = [
    new EventStore(new SqliteEventStore({ file, now })),
    new EventStore(new SqliteEventStore({ file, now })),
  ];
  const [first, second] = stores.map((store) => new DocumentNumberRegistry(store, clock));

  afterAll(async () => {
    for (const store of stores) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets exactly one of two concurrent uses hold a number', async () => {
    const results = await Promise.allSettled([
      first.reserve(number('锡科发〔2026〕12号'), { purpose: 'publicity', roundId: 'round-a' }, context),
      second.reserve(number('锡科发［2026］012号'), { purpose: 'publicity', roundId: 'round-b' }, context),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const [refused] = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused.reason).toBeInstanceOf(DomainError);
    expect(refused.reason).toMatchObject({ kind: 'conflict', code: 'DOCUMENT_NUMBER_TAKEN' });
    const events = await stores[0].readStream('document-number-锡科发〔2026〕12号');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'DocumentNumberReserved',
      data: { year: 2026, sequence: 12, issuer: '锡科发' },
    });
  });

  it('takes a repeat of the same use as done, and another bureau or year as another number', async () => {
    const holder = (await stores[0].readStream<{ roundId: string }>('document-number-锡科发〔2026〕12号'))[0]
      .data.roundId;
    await expect(
      second.reserve(number('锡科发〔2026〕12号'), { purpose: 'publicity', roundId: holder }, context),
    ).resolves.toBeUndefined();
    await expect(
      first.reserve(number('锡科发〔2026〕12号'), { purpose: 'admission', roundId: holder }, context),
    ).rejects.toMatchObject({ code: 'DOCUMENT_NUMBER_TAKEN' });
    await expect(
      first.reserve(number('锡工信发〔2026〕12号'), { purpose: 'publicity', roundId: 'round-c' }, context),
    ).resolves.toBeUndefined();
    await expect(
      first.reserve(number('锡科发〔2027〕12号'), { purpose: 'publicity', roundId: 'round-d' }, context),
    ).resolves.toBeUndefined();
  });
});
