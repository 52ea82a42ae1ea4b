/**
 * One writer process of the multi-process test (postgres-multiprocess.int-spec.ts). Runs from
 * dist/ (plain JS, built by scripts/build.js). Several concurrent loops append:
 *   - to this process's own streams, with exact expected revisions;
 *   - to shared streams, optimistically: read the head, append with that expectation, and on
 *     WrongExpectedRevisionError reload and retry (the usual command handler loop);
 *   - to one shared stream with 'any';
 *   - now and then an exact retry of an append already made (must write nothing).
 * Reports the ids it wrote to the parent and exits 0, or prints the error and exits 1.
 */
'use strict';
const { randomUUID } = require('node:crypto');
const { PostgresEventStore } = require('../postgres-event-store');
const { EventStore } = require('../../../event-store');
const { WrongExpectedRevisionError } = require('../../../event-store.errors');

const url = process.env.PG_URL;
const schema = process.env.ES_SCHEMA;
const worker = Number(process.env.WORKER);
const appends = Number(process.env.APPENDS_PER_LOOP ?? 40);
const loops = Number(process.env.LOOPS ?? 4);
const sharedStreams = Number(process.env.SHARED_STREAMS ?? 3);

const event = (kind, n, id = randomUUID()) => ({
  id,
  type: kind,
  data: { worker, n, pid: process.pid },
  metadata: {
    correlationId: `w${worker}-${n}`,
    causationId: `w${worker}-${n}`,
    actor: { sub: `worker-${worker}`, role: 'system' },
    occurredAt: new Date().toISOString(),
  },
});

async function main() {
  const store = new EventStore(
    new PostgresEventStore({ connectionString: url, schema, now: () => new Date(), poolSize: 3 }),
  );
  const written = [];
  let conflicts = 0;
  let retries = 0;
  await Promise.all(
    Array.from({ length: loops }, async (_, loop) => {
      const own = `own-w${worker}-l${loop}`;
      let ownRevision = -1;
      for (let n = 0; n < appends; n++) {
        const choice = n % 4;
        if (choice === 0 || choice === 3) {
          // Own stream, exact expectation; every third one carries two events.
          const events = n % 3 === 0 ? [event('OwnPair', n), event('OwnPair', n)] : [event('Own', n)];
          const result = await store.append(own, events, ownRevision === -1 ? 'no-stream' : ownRevision);
          if (result.nextRevision !== ownRevision + events.length)
            throw new Error(`own revision ${result.nextRevision}`);
          ownRevision = result.nextRevision;
          written.push(...events.map((e) => e.id));
          if (n % 10 === 3) {
            // An exact retry of what was just written: same answer, nothing written.
            const again = await store.append(own, events, 'any');
            if (again.position !== result.position || again.nextRevision !== result.nextRevision) {
              throw new Error('a retry did not return the first result');
            }
            retries++;
          }
        } else if (choice === 1) {
          const stream = `shared-${(worker + loop + n) % sharedStreams}`;
          const e = event('Shared', n);
          for (;;) {
            const current = await store.readStream(stream);
            const expected = current.length ? current[current.length - 1].revision : 'no-stream';
            try {
              await store.append(stream, [e], expected);
              break;
            } catch (error) {
              if (!(error instanceof WrongExpectedRevisionError)) throw error;
              conflicts++;
            }
          }
          written.push(e.id);
        } else {
          const e = event('Any', n);
          await store.append('shared-any', [e], 'any');
          written.push(e.id);
        }
      }
    }),
  );
  await store.close();
  await new Promise((resolve) => process.send({ worker, written, conflicts, retries }, resolve));
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`worker ${worker}:`, error);
    process.exit(1);
  },
);
