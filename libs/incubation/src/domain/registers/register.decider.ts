import type { RegisterKind } from '../policies/policy-types';
import { conflict, invalid } from '../shared/domain-error';
import type { Decider } from '../shared/domain-event';
import {
  REGISTER_CHUNK_ROWS,
  type RegisterEvent,
  type RegisterImportedData,
  type RegisterRow,
} from './register.events';

export interface RegisterState {
  /** The current version, if any. */
  current?: RegisterImportedData;
}

export type RegisterCommand = {
  type: 'ImportRegister';
  register: RegisterKind;
  jurisdiction: string;
  version: string;
  fileName: string;
  format: 'csv' | 'xlsx';
  rows: RegisterRow[];
  importedOn: string;
};

/**
 * A register (one kind, one jurisdiction) is one aggregate: each import replaces the whole
 * register with a new version; the old versions stay in the stream for the explanations that
 * cite them. Importing the file that is already current changes nothing and is refused.
 */
export const registerDecider: Decider<RegisterState, RegisterCommand, RegisterEvent> = {
  decide: (command, state) => importRegister(state, command),
  initialState: () => ({}),
  evolve(state, event) {
    switch (event.type) {
      case 'RegisterEntriesRecorded':
        return state;
      case 'RegisterImported':
        return { current: event.data };
    }
  },
};

export function importRegister(state: RegisterState, command: RegisterCommand): RegisterEvent[] {
  if (command.rows.length === 0) throw invalid('REGISTER_EMPTY', 'the register file has no rows');
  if (state.current?.version === command.version) {
    throw conflict('REGISTER_UNCHANGED', `this file is already the current version (${command.version})`);
  }
  const outside = command.rows.find(
    (row) =>
      row.jurisdiction !== undefined &&
      row.jurisdiction !== command.jurisdiction &&
      !row.jurisdiction.startsWith(`${command.jurisdiction}.`),
  );
  if (outside) {
    throw invalid(
      'REGISTER_OUTSIDE_JURISDICTION',
      `${outside.creditCode}: jurisdiction ${outside.jurisdiction} is not inside ${command.jurisdiction}`,
    );
  }
  const events: RegisterEvent[] = [];
  for (let i = 0; i * REGISTER_CHUNK_ROWS < command.rows.length; i++) {
    events.push({
      type: 'RegisterEntriesRecorded',
      data: {
        register: command.register,
        version: command.version,
        chunk: i,
        entries: command.rows.slice(i * REGISTER_CHUNK_ROWS, (i + 1) * REGISTER_CHUNK_ROWS),
      },
    });
  }
  events.push({
    type: 'RegisterImported',
    data: {
      register: command.register,
      jurisdiction: command.jurisdiction,
      version: command.version,
      fileName: command.fileName,
      format: command.format,
      rowCount: command.rows.length,
      chunks: events.length,
      importedOn: command.importedOn,
    },
  });
  return events;
}
