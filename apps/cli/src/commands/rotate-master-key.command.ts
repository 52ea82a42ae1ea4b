import {
  KeyTableVault,
  MasterKeyMismatchError,
  ReadModelDatabase,
  readModelOptionsFromConfig,
} from '@engine/read-models';
import { type CliCommand, type CliOptionSpecs, CliUsageError, EXIT, parseOptions } from './command';
import { t } from './locale';
import { progressBar } from './progress';

const options = {
  batch: {
    type: 'string',
    placeholder: 'N',
    description: t(
      '每个事务重新封装的密钥数（1–10000，默认 500）',
      'keys re-wrapped per transaction (1 to 10000, default 500)',
    ),
  },
  check: {
    type: 'boolean',
    default: false,
    description: t(
      '只报告还有多少密钥由旧主密钥封装，不作改动',
      'only report how many keys an old master key still wraps; change nothing',
    ),
  },
} satisfies CliOptionSpecs;

/**
 * `npm run cli -- rotate-master-key [--batch N] [--check]`: re-wraps every personal-data key
 * (and the subject key) under PII_MASTER_KEY, opening them with PII_MASTER_KEY_PREVIOUS
 * (docs/privacy.md, "Rotating the master key"). Online (the engine keeps running), with a
 * progress bar, and resumable: run it again after a crash and it does what is left. Exit 0
 * when no key is left under an old master, 1 when a key opens under none of the keys given.
 */
export const rotateMasterKeyCommand: CliCommand = {
  name: 'rotate-master-key',
  usage: 'rotate-master-key [--batch N] [--check]',
  summary: t(
    '用新的个人信息主密钥（PII_MASTER_KEY）重新封装全部数据密钥，旧主密钥列于 PII_MASTER_KEY_PREVIOUS',
    're-wrap every personal-data key under the new PII_MASTER_KEY (the old one in PII_MASTER_KEY_PREVIOUS)',
  ),
  options,
  async run(args, config) {
    const { values } = parseOptions('rotate-master-key', args, options, []);
    const batch = values.batch === undefined ? 500 : Number(values.batch);
    if (!(Number.isSafeInteger(batch) && batch >= 1 && batch <= 10_000))
      throw new CliUsageError('rotate-master-key: --batch must be a whole number from 1 to 10000');
    const db = await ReadModelDatabase.open(readModelOptionsFromConfig(config));
    try {
      const vault = await KeyTableVault.open(db, config.PII_MASTER_KEY, {
        previous: config.PII_MASTER_KEY_PREVIOUS,
      });
      const left = await vault.keysUnderOtherMasters();
      if (values.check) {
        console.log(
          left === 0
            ? t(
                '所有密钥都已由当前主密钥封装：可以从 PII_MASTER_KEY_PREVIOUS 中删除旧主密钥。',
                'every key is wrapped by the current master key: the old one may leave PII_MASTER_KEY_PREVIOUS.',
              )
            : t(
                `还有 ${left} 个密钥由旧主密钥封装：运行 rotate-master-key。`,
                `${left} keys are still wrapped by an old master key: run rotate-master-key.`,
              ),
        );
        return left === 0 ? EXIT.ok : EXIT.failed;
      }
      const bar = progressBar(t('重新封装密钥', 're-wrapping keys'));
      let result;
      try {
        result = await vault.rotateMasterKey((p) => bar.update(p.done, p.total), batch);
      } finally {
        bar.stop();
      }
      console.log(
        t(
          `已用当前主密钥重新封装 ${result.done} 个密钥；没有密钥再由旧主密钥封装。确认所有进程都使用新的 PII_MASTER_KEY 后，删除 PII_MASTER_KEY_PREVIOUS 并销毁旧主密钥。`,
          `re-wrapped ${result.done} keys under the current master key; none is left under an old one. Once every process runs with the new PII_MASTER_KEY, remove PII_MASTER_KEY_PREVIOUS and destroy the old key.`,
        ),
      );
      return EXIT.ok;
    } catch (error) {
      if (error instanceof MasterKeyMismatchError) {
        console.error(
          t(
            `有密钥由主密钥 ${error.masterId} 封装，它既不是 PII_MASTER_KEY 也不在 PII_MASTER_KEY_PREVIOUS 中：把旧主密钥加入 PII_MASTER_KEY_PREVIOUS 后再运行。`,
            `a key is wrapped by master key ${error.masterId}, which is neither PII_MASTER_KEY nor in PII_MASTER_KEY_PREVIOUS: add the old key to PII_MASTER_KEY_PREVIOUS and run again.`,
          ),
        );
        return EXIT.failed;
      }
      throw error;
    } finally {
      await db.close();
    }
  },
};
