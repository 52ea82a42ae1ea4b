import { createEventStoreBackend, EventStore } from '@engine/event-store';
import { SystemClock } from '@engine/platform';
import {
  PROJECTIONS,
  ReadModelDatabase,
  readModelOptionsFromConfig,
  rebuildProjections,
} from '@engine/read-models';
import { type CliCommand, type CliOptionSpecs, CliUsageError, parseOptions } from './command';
import { t } from './locale';

const options = {
  batch: {
    type: 'string',
    placeholder: 'N',
    description: t('每个事务的事件数（1–1000000）', 'events per transaction (1 to 1000000)'),
  },
} satisfies CliOptionSpecs;
const positional = [
  {
    syntax: '[projection...]',
    description: t(
      `要重建的投影（默认全部）：${PROJECTIONS.map((p) => p.name).join('、')}`,
      `projections to rebuild (default: all): ${PROJECTIONS.map((p) => p.name).join(', ')}`,
    ),
  },
];
import { progressBar } from './progress';

/**
 * Rebuilds projections from the first event into shadow tables while the running engine keeps
 * serving (and updating) the current ones, then switches to the new tables in one transaction
 * once they have caught up (docs/read-models.md).
 */
export const rebuildCommand: CliCommand = {
  name: 'rebuild',
  usage: 'rebuild [projection...] [--batch N]',
  summary: t(
    '从第一个事件起重放读模型到影子表，追上后切换',
    'replay read models from the first event into shadow tables, then switch',
  ),
  arguments: positional,
  options,
  async run(args, config) {
    const { values, positionals } = parseOptions('rebuild', args, options, positional);
    const batchSize = values.batch === undefined ? undefined : Number(values.batch);
    if (
      batchSize !== undefined &&
      !(Number.isSafeInteger(batchSize) && batchSize > 0 && batchSize <= 1_000_000)
    ) {
      throw new CliUsageError(
        'rebuild: --batch (events per transaction) must be a whole number from 1 to 1000000',
      );
    }
    const unknown = positionals.filter((name) => !PROJECTIONS.some((p) => p.name === name));
    if (unknown.length) {
      throw new CliUsageError(
        `rebuild: no projection ${unknown.join(', ')}; known: ${PROJECTIONS.map((p) => p.name).join(', ')}`,
      );
    }
    const selected = positionals.length
      ? PROJECTIONS.filter((p) => positionals.includes(p.name))
      : PROJECTIONS;
    const store = new EventStore(createEventStoreBackend(config, new SystemClock()));
    const db = await ReadModelDatabase.open(readModelOptionsFromConfig(config));
    try {
      // One pass over the store feeds every selected projection (each event read and decoded once).
      const bar = progressBar(`rebuilding ${selected.map((p) => p.name).join(', ')}`);
      const started = Date.now();
      try {
        const results = await rebuildProjections({
          store,
          db,
          projections: selected,
          batchSize,
          onProgress: (position, head) => bar.update(position, head),
        });
        bar.stop();
        const seconds = (Date.now() - started) / 1000;
        for (const result of results) {
          console.log(
            t(
              `${result.projection}：第 ${result.generation} 代${
                result.replaced ? `（取代第 ${result.replaced} 代）` : ''
              }，${result.events} 个事件，至位置 ${result.position}，用时 ${seconds.toFixed(1)} 秒`,
              `${result.projection}: generation ${result.generation}${
                result.replaced ? ` replaced ${result.replaced}` : ''
              }, ${result.events} events to position ${result.position} in ${seconds.toFixed(1)} s`,
            ),
          );
        }
      } catch (error) {
        bar.stop();
        throw error;
      }
      return 0;
    } finally {
      await db.close();
      await store.close();
    }
  },
};
