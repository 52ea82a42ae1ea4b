import { resolve } from 'node:path';
import { BackupError, checkBackup, restoreBackup, takeBackup } from '../backup/backup';
import { type CliCommand, CliUsageError, parseOptions } from './command';
import { progressBar } from './progress';

/**
 * `backup --out DIR`: a consistent online copy of everything the embedded profile cannot
 * rebuild (events, personal-data keys, webhook registrations, processor checkpoints), with a
 * manifest. The work is in ../backup/backup.ts; this file only parses arguments.
 */
export const backupCommand: CliCommand = {
  name: 'backup',
  usage: 'backup --out DIR',
  summary: 'consistent online copy of the event store and the personal-data keys (embedded SQLite)',
  async run(args, config) {
    const { values } = parseOptions('backup', args, { out: { type: 'string' } });
    if (!values.out) throw new CliUsageError('backup: --out DIR is required');
    const bar = progressBar('backing up');
    try {
      const manifest = await takeBackup(config, values.out, (done, total) => bar.update(done, total));
      bar.stop();
      const rows = Object.entries(manifest.state.rows)
        .map(([table, n]) => `${table} ${n}`)
        .join(', ');
      console.log(
        `backup written to ${resolve(values.out)}: ${manifest.eventStore.events} events (hash chains intact); ${rows}`,
      );
      return 0;
    } catch (error) {
      bar.stop();
      if (error instanceof BackupError) throw new CliUsageError(`backup: ${error.message}`);
      throw error;
    }
  },
};

export const restoreCommand: CliCommand = {
  name: 'restore',
  usage: 'restore --from DIR [--check] [--force]',
  summary: 'check a backup, or replace the embedded event store and key table with it (engine stopped)',
  async run(args, config) {
    const { values } = parseOptions('restore', args, {
      from: { type: 'string' },
      check: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
    });
    if (!values.from) throw new CliUsageError('restore: --from DIR is required');
    try {
      if (values.check) {
        const manifest = await checkBackup(values.from);
        console.log(
          `backup ${resolve(values.from)} is sound: ${manifest.eventStore.events} events, ${manifest.state.rows.pd_keys} personal-data keys`,
        );
        return 0;
      }
      const manifest = await restoreBackup(config, values.from, { force: values.force! });
      console.log(
        `restored ${manifest.eventStore.events} events in ${manifest.eventStore.streams} streams and ` +
          `${manifest.state.rows.pd_keys} personal-data keys from ${resolve(values.from)} (taken ${manifest.takenAt})`,
      );
      return 0;
    } catch (error) {
      if (error instanceof BackupError) throw new CliUsageError(`restore: ${error.message}`);
      throw error;
    }
  },
};
