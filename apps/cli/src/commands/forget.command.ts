import { maskIdNumber, maskPhone, validateResidentIdNumber } from '@engine/platform';
import { KeyTableVault, ReadModelDatabase, readModelOptionsFromConfig } from '@engine/read-models';
import { type CliCommand, CliUsageError, parseOptions } from './command';

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
  summary: "destroy a person's data key: their sealed personal data becomes unreadable everywhere",
  async run(args, config) {
    const { values } = parseOptions('forget', args, {
      subject: { type: 'string' },
      'id-number': { type: 'string' },
      phone: { type: 'string' },
      by: { type: 'string', default: 'cli' },
    });
    const given = (['subject', 'id-number', 'phone'] as const).filter((k) => values[k] !== undefined);
    if (given.length !== 1) {
      throw new CliUsageError('forget: give exactly one of --subject, --id-number or --phone');
    }
    if (!/^[\S ]{1,128}$/.test(values.by!)) throw new CliUsageError('forget: --by is 1 to 128 characters');
    const db = await ReadModelDatabase.open(readModelOptionsFromConfig(config));
    try {
      const vault = new KeyTableVault(db, config.PII_MASTER_KEY);
      let subject: string;
      let who: string;
      if (values['id-number'] !== undefined) {
        const id = validateResidentIdNumber(values['id-number']);
        if (!id.valid) throw new CliUsageError(`forget: --id-number ${id.message}`);
        subject = vault.subjectFor('id-number', id.normalized);
        who = `ID number ${maskIdNumber(id.normalized)}`;
      } else if (values.phone !== undefined) {
        subject = vault.subjectFor('phone', values.phone);
        who = `phone ${maskPhone(values.phone)}`;
      } else {
        subject = values.subject!;
        if (!/^[\w:.-]{1,128}$/.test(subject))
          throw new CliUsageError('forget: --subject is not a subject id');
        who = 'subject';
      }
      const destroyed = await vault.forget(subject, values.by!);
      if (destroyed) {
        console.log(
          `forgotten: ${who} (subject ${subject}); its data key is destroyed and everything sealed for it ` +
            `can no longer be opened. Recorded by ${values.by}. Backups of the read-model database taken ` +
            'before now still hold the key: see docs/privacy.md.',
        );
      } else {
        const earlier = await vault.tombstones(subject);
        console.log(
          earlier.length > 0
            ? `nothing to do: ${who} (subject ${subject}) was already forgotten on ${earlier.at(-1)!.forgottenAt}`
            : `nothing to do: no personal data was ever sealed for ${who} (subject ${subject})`,
        );
      }
      return 0;
    } finally {
      await db.close();
    }
  },
};
