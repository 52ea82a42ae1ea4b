import { createEventStoreBackend, EventStore } from '@engine/event-store';
import { SystemClock } from '@engine/platform';
import { type CliCommand, parseOptions } from './command';
import { progressBar } from './progress';

/** Recomputes every stream's hash chain; exit 0 when intact, 2 when a link is broken. */
export const verifyCommand: CliCommand = {
  name: 'verify',
  usage: 'verify [--json]',
  summary: "check every stream's hash chain and name the first broken event",
  async run(args, config) {
    const { values } = parseOptions('verify', args, { json: { type: 'boolean', default: false } });
    const store = new EventStore(createEventStoreBackend(config, new SystemClock()));
    const bar = progressBar('verifying');
    try {
      const result = await store.verify((done, head) => bar.update(done, head));
      bar.stop();
      if (values.json) console.log(JSON.stringify(result));
      else if (result.ok)
        console.log(`ok: ${result.events} events in ${result.streams} streams, every hash chain intact`);
      else {
        const b = result.firstBreak!;
        console.log(
          `BROKEN: stream ${b.stream} at revision ${b.revision} (${b.reason}); ${result.events} events read`,
        );
      }
      return result.ok ? 0 : 2;
    } finally {
      await store.close();
    }
  },
};
