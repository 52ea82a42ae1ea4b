import { maskIdNumber, maskPhone, validateResidentIdNumber } from '@engine/platform';
import { KeyTableVault, ReadModelDatabase, readModelOptionsFromConfig } from '@engine/read-models';
import { type CliCommand, type CliOptionSpecs, CliUsageError, confirm, EXIT, parseOptions } from './command';
import { t } from './locale';

const options = {
  subject: { type: 'string', placeholder: 'ID', description: t('数据主体 ID', 'the data subject id') },
  'id-number': { type: 'string', placeholder: 'N', description: t('居民身份证号', 'resident ID number') },
  phone: { type: 'string', placeholder: 'N', description: t('手机号', 'phone number') },
  by: {
    type: 'string',
    default: 'cli',
    placeholder: 'WHO',
    description: t('记录操作人', 'who is recorded as doing it'),
  },
  yes: {
    type: 'boolean',
    short: 'y',
    default: false,
    description: t('不再询问确认', 'do not ask for confirmation'),
  },
} satisfies CliOptionSpecs;

/**
 * `npm run cli -- forget (--subject ID | --id-number N | --phone N) [--by WHO]`: destroys a
 * data subject's key in the personal-data vault (docs/privacy.md). Everything sealed for that
 * person, in events, exports and event-store backups, can no longer be opened; the events
 * themselves do not change, so `verify` still passes. Exit 0 whether a key was destroyed or
 * there was none (the command is safe to repeat), 64 on bad usage.
 */
export const forgetCommand: CliCommand = {
  name: 'forget',
  usage: 'forget (--subject ID | --id-number N | --phone N) [--by WHO]',
  summary: t(
    '销毁某人的数据密钥：为其加密保存的个人信息从此处处无法读取（不可撤销）',
    "destroy a person's data key: their sealed personal data becomes unreadable everywhere (cannot be undone)",
  ),
  options,
  async run(args, config) {
    const { values } = parseOptions('forget', args, options, []);
    const given = (['subject', 'id-number', 'phone'] as const).filter((k) => values[k] !== undefined);
    if (given.length !== 1) {
      throw new CliUsageError('forget: give exactly one of --subject, --id-number or --phone');
    }
    if (!/^[\S ]{1,128}$/.test(values.by!)) throw new CliUsageError('forget: --by is 1 to 128 characters');
    const db = await ReadModelDatabase.open(readModelOptionsFromConfig(config));
    try {
      const vault = await KeyTableVault.open(db, config.PII_MASTER_KEY, {
        previous: config.PII_MASTER_KEY_PREVIOUS,
      });
      let subject: string;
      let who: string;
      let whoZh: string;
      if (values['id-number'] !== undefined) {
        const id = validateResidentIdNumber(values['id-number']);
        if (!id.valid) throw new CliUsageError(`forget: --id-number ${id.message}`);
        subject = vault.subjectFor('id-number', id.normalized);
        who = `ID number ${maskIdNumber(id.normalized)}`;
        whoZh = `身份证号 ${maskIdNumber(id.normalized)}`;
      } else if (values.phone !== undefined) {
        subject = vault.subjectFor('phone', values.phone);
        who = `phone ${maskPhone(values.phone)}`;
        whoZh = `手机号 ${maskPhone(values.phone)}`;
      } else {
        subject = values.subject!;
        if (!/^[\w:.-]{1,128}$/.test(subject))
          throw new CliUsageError('forget: --subject is not a subject id');
        who = 'subject';
        whoZh = '该主体';
      }
      const sure = await confirm(
        t(
          `销毁 ${who}（主体 ${subject}）的数据密钥？此操作不可撤销。`,
          `Destroy the data key of ${who} (subject ${subject})? This cannot be undone.`,
        ),
        values.yes,
      );
      if (!sure) {
        console.error(t('已取消，没有改动。', 'aborted; nothing changed.'));
        return EXIT.failed;
      }
      const destroyed = await vault.forget(subject, values.by!);
      if (destroyed) {
        console.log(
          t(
            `已遗忘：${whoZh}（主体 ${subject}）；其数据密钥已销毁，为其加密保存的一切从此无法读取。操作人记为 ${values.by}。此前的读模型数据库备份仍保有该密钥：见 docs/privacy.md。`,
            `forgotten: ${who} (subject ${subject}); its data key is destroyed and everything sealed for it ` +
              `can no longer be opened. Recorded by ${values.by}. Backups of the read-model database taken ` +
              'before now still hold the key: see docs/privacy.md.',
          ),
        );
      } else {
        const earlier = await vault.tombstones(subject);
        console.log(
          earlier.length > 0
            ? t(
                `无需操作：${whoZh}（主体 ${subject}）已于 ${earlier.at(-1)!.forgottenAt} 被遗忘`,
                `nothing to do: ${who} (subject ${subject}) was already forgotten on ${earlier.at(-1)!.forgottenAt}`,
              )
            : t(
                `无需操作：从未为 ${whoZh}（主体 ${subject}）加密保存过个人信息`,
                `nothing to do: no personal data was ever sealed for ${who} (subject ${subject})`,
              ),
        );
      }
      return 0;
    } finally {
      await db.close();
    }
  },
};
