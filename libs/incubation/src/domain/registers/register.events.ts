import type { RegisterKind } from '../policies/policy-types';
import type { DomainEvent } from '../shared/domain-event';

/** One row of an imported register file. */
export interface RegisterRow {
  creditCode: string;
  name: string;
  certificateNumber: string;
  /** First and last day of validity, inclusive (YYYY-MM-DD). */
  validFrom: string;
  validUntil: string;
  /** A jurisdiction inside the importer's (e.g. `js.wuxi.xinwu`); absent: the importer's own. */
  jurisdiction?: string;
}

/**
 * The rows of one register version, in chunks (an event holds at most 1,000 rows; the store
 * refuses events over 1 MB). Appended together with, and before, the RegisterImported that
 * makes the version current.
 */
export interface RegisterEntriesRecordedData {
  register: RegisterKind;
  /** SHA-256 (hex) of the imported file. */
  version: string;
  /** 0-based chunk index. */
  chunk: number;
  entries: RegisterRow[];
}

/** A version of a register became current for a jurisdiction: what eligibility reads from then on. */
export interface RegisterImportedData {
  register: RegisterKind;
  /** The jurisdiction the register was imported for (the importing officer's). */
  jurisdiction: string;
  /** SHA-256 (hex) of the imported file: the version an eligibility explanation cites. */
  version: string;
  fileName: string;
  format: 'csv' | 'xlsx';
  rowCount: number;
  chunks: number;
  /** YYYY-MM-DD (China). */
  importedOn: string;
}

/** Persisted event types of a register stream (`register-<kind>-<jurisdiction>`). Never rename. */
export type RegisterEvent =
  | DomainEvent<'RegisterEntriesRecorded', RegisterEntriesRecordedData>
  | DomainEvent<'RegisterImported', RegisterImportedData>;

export const REGISTER_CHUNK_ROWS = 1000;

export const registerStream = (register: RegisterKind, jurisdiction: string) =>
  `register-${register}-${jurisdiction}`;
