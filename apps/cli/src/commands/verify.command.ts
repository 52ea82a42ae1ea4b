import { createEventStoreBackend, EventStore } from '@engine/event-store';
import { SystemClock } from '@engine/platform';
import { type CliCommand, type CliOptionSpecs, EXIT, parseOptions } from './command';
import { t } from './locale';

const options = {
  json: { type: 'boolean', default: false, description: t('以 JSON 输出结果', 'print the result as JSON') },
} satisfies CliOptionSpecs;
import { progressBar } from './progress';

/** Recomputes every stream's hash chain; exit 0 when intact, 2 when a link is broken. */
export const verifyCommand: CliCommand = {
  name: 'verify',
  usage: 'verify [--json]',
  summary: t(
    '重算每条流的哈希链，指出第一个被破坏的事件（被篡改时退出码 2）',
    "check every stream's hash chain and name the first broken event (exit 2 when altered)",
  ),
  options,
  async run(args, config) {
    const { values } = parseOptions('verify', args, options, []);
    const store = new EventStore(createEventStoreBackend(config, new SystemClock()));
    const bar = progressBar(t('校验中', 'verifying'));
    try {
      const result = await store.verify((done, head) => bar.update(done, head));
      bar.stop();
      if (values.json) console.log(JSON.stringify(result));
      else if (result.ok)
        console.log(
          t(
            `完好：${result.streams} 条流共 ${result.events} 个事件，哈希链全部完整`,
            `ok: ${result.events} events in ${result.streams} streams, every hash chain intact`,
          ),
        );
      else {
        const b = result.firstBreak!;
        console.log(
          t(
            `已损坏：流 ${b.stream} 第 ${b.revision} 版（${b.reason}）；已读 ${result.events} 个事件`,
            `BROKEN: stream ${b.stream} at revision ${b.revision} (${b.reason}); ${result.events} events read`,
          ),
        );
      }
      return result.ok ? EXIT.ok : EXIT.broken;
    } finally {
      await store.close();
    }
  },
};
