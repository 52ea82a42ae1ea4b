import { Inject, Injectable } from '@nestjs/common';
import { EventStore } from '@engine/event-store';
import { chinaDate, Clock, jurisdictionCovers, type Principal } from '@engine/platform';
import { REGISTER_KINDS, type RegisterEvidence, type RegisterKind } from '../../domain/policies/policy-types';
import { registerDecider } from '../../domain/registers/register.decider';
import {
  type RegisterEvent,
  type RegisterImportedData,
  type RegisterRow,
  registerStream,
} from '../../domain/registers/register.events';
import { forbidden, notFound } from '../../domain/shared/domain-error';
import type { CommandContext } from '../../infrastructure/command-context';
import { Aggregates } from '../../infrastructure/handle-command';
import { readRegisterFile } from '../../registers/register-file';
import { PolicyLookup } from '../policy-lookup';
import { RoundRoster } from '../round-roster';
import { registerReach } from '../reach';

/** A register as it stands: its current version and rows, indexed by credit code. */
interface CachedRegister {
  revision: number;
  current?: RegisterImportedData;
  byCode: Map<string, RegisterRow[]>;
  /** Rows of versions recorded but not (yet) made current, by version. */
  pending: Map<string, RegisterRow[]>;
  rows: RegisterRow[];
}

export interface RegisterSummary extends RegisterImportedData {
  /** Revision of the register's stream after the import. */
  revision: number;
}

export interface ScreeningCandidate extends RegisterEvidence {
  /** Where the entry places the enterprise (the row's, or the register's jurisdiction). */
  jurisdiction: string;
}

export interface ScreeningResult {
  roundId: string;
  programme: string;
  policyVersion: string;
  jurisdiction: string;
  /** The day validity is checked on (today, China). */
  on: string;
  registers: RegisterKind[];
  /** Versions read, one per register that has one. */
  versions: {
    register: RegisterKind;
    jurisdiction: string;
    version: string;
    importedOn: string;
    rowCount: number;
  }[];
  candidates: ScreeningCandidate[];
}

/** `js.wuxi.xinwu` → [`js.wuxi.xinwu`, `js.wuxi`, `js`]. */
const selfAndAncestors = (jurisdiction: string) =>
  jurisdiction.split('.').map((_, i, parts) => parts.slice(0, parts.length - i).join('.'));

/**
 * The reference registers (docs/policies.md, "Registers"): an officer imports a register for
 * their jurisdiction (each import a new version of the whole register); eligibility reads the
 * enterprise's entries in the current version of the nearest register at or above its
 * jurisdiction; screening lists a round's registered, valid, not-yet-applied enterprises.
 *
 * Decisions read the register streams themselves, never a read model: an explanation cites the
 * version that was current when it was computed. Each process keeps the folded streams in
 * memory and reads only what was appended since.
 */
@Injectable()
export class Registers {
  private readonly cache = new Map<string, CachedRegister>();

  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(RoundRoster) private readonly roster: RoundRoster,
  ) {}

  /** An officer imports a register file (CSV or XLSX) for their own jurisdiction. */
  async import(
    register: RegisterKind,
    file: { name: string; bytes: Buffer },
    principal: Principal,
    context: CommandContext,
  ): Promise<RegisterSummary> {
    if (principal.role !== 'officer' || !principal.jurisdiction)
      throw forbidden('FORBIDDEN', 'only an officer imports a register');
    const jurisdiction = principal.jurisdiction;
    const parsed = await readRegisterFile(file.bytes);
    const importedOn = chinaDate(this.clock.now());
    const handled = await this.aggregates
      .of(registerDecider)
      .handle(registerStream(register, jurisdiction), context, () => ({
        type: 'ImportRegister',
        register,
        jurisdiction,
        version: parsed.version,
        fileName: file.name,
        format: parsed.format,
        rows: parsed.rows,
        importedOn,
      }));
    return { ...handled.state.current!, revision: handled.revision };
  }

  /**
   * The current version of a register for a jurisdiction (exactly: the one asked, else the
   * caller's own), if one was imported; within the caller's reach (reach.ts, registerReach).
   */
  async current(
    register: RegisterKind,
    principal: Principal,
    jurisdiction?: string,
  ): Promise<RegisterImportedData | undefined> {
    return (await this.load(registerStream(register, registerReach(principal, jurisdiction)))).current;
  }

  /**
   * The enterprise's entries in the named registers: per register, the current version of the
   * nearest register at or above the enterprise's jurisdiction that has one.
   */
  async evidence(
    creditCode: string,
    jurisdiction: string,
    registers: readonly RegisterKind[],
  ): Promise<RegisterEvidence[]> {
    const found: RegisterEvidence[] = [];
    for (const register of registers) {
      const nearest = await this.nearest(register, jurisdiction);
      if (!nearest?.current) continue;
      for (const row of nearest.byCode.get(creditCode) ?? []) found.push(evidenceOf(nearest.current, row));
    }
    return found;
  }

  /**
   * Screening for a round (the Wuxi page: candidates screened against the high-tech registers):
   * the enterprises with an entry valid today, in the registers the round's policy names (all
   * three when it names none), inside the round's jurisdiction, that have not applied to it.
   */
  async screen(roundId: string, principal: Principal): Promise<ScreeningResult> {
    const round = await this.aggregates.round(roundId);
    if (!round.state.round) throw notFound('ROUND_NOT_FOUND', 'no such round');
    const { jurisdiction, policyVersion, programme } = round.state.round;
    if (principal.role === 'officer' && !jurisdictionCovers(principal.jurisdiction!, jurisdiction))
      throw notFound('ROUND_NOT_FOUND', 'no such round');
    const named = this.policies.get(policyVersion)?.registers ?? [];
    const registers = named.length ? named : [...REGISTER_KINDS];
    const on = chinaDate(this.clock.now());
    const versions: ScreeningResult['versions'] = [];
    const byCode = new Map<string, ScreeningCandidate>();
    for (const register of registers) {
      const loaded = await this.nearest(register, jurisdiction);
      if (!loaded?.current) continue;
      const current = loaded.current;
      versions.push({
        register,
        jurisdiction: current.jurisdiction,
        version: current.version,
        importedOn: current.importedOn,
        rowCount: current.rowCount,
      });
      for (const row of loaded.rows) {
        const where = row.jurisdiction ?? current.jurisdiction;
        if (!jurisdictionCovers(jurisdiction, where) && !jurisdictionCovers(where, jurisdiction)) continue;
        if (row.validFrom > on || row.validUntil < on) continue;
        if (!byCode.has(row.creditCode))
          byCode.set(row.creditCode, { ...evidenceOf(current, row), jurisdiction: where });
      }
    }
    // Who of them applied (a draft counts): asked of the read model for these codes only, never
    // by loading the round's applications.
    const applied = await this.roster.applicants(roundId, [...byCode.keys()]);
    const candidates = [...byCode.values()]
      .filter((c) => !applied.has(c.creditCode))
      .sort((a, b) => (a.creditCode < b.creditCode ? -1 : 1));
    return { roundId, programme, policyVersion, jurisdiction, on, registers, versions, candidates };
  }

  private async nearest(register: RegisterKind, jurisdiction: string): Promise<CachedRegister | undefined> {
    for (const at of selfAndAncestors(jurisdiction)) {
      const loaded = await this.load(registerStream(register, at));
      if (loaded.current) return loaded;
    }
    return undefined;
  }

  /** The folded stream, brought up to date by reading only what was appended since. */
  private async load(stream: string): Promise<CachedRegister> {
    const cached: CachedRegister = this.cache.get(stream) ?? {
      revision: -1,
      byCode: new Map(),
      pending: new Map(),
      rows: [],
    };
    const events = await this.store.readStream<RegisterEvent['data']>(stream, {
      fromRevision: cached.revision + 1,
    });
    if (events.length === 0) return cached;
    const next: CachedRegister = { ...cached, pending: new Map(cached.pending) };
    for (const stored of events) {
      const event = { type: stored.type, data: stored.data } as RegisterEvent;
      if (event.type === 'RegisterEntriesRecorded') {
        const rows = next.pending.get(event.data.version) ?? [];
        next.pending.set(event.data.version, [...rows, ...event.data.entries]);
      } else {
        const rows = next.pending.get(event.data.version) ?? [];
        next.pending.clear();
        next.current = event.data;
        next.rows = rows;
        next.byCode = new Map();
        for (const row of rows)
          next.byCode.set(row.creditCode, [...(next.byCode.get(row.creditCode) ?? []), row]);
      }
      next.revision = stored.revision;
    }
    this.cache.set(stream, next);
    return next;
  }
}

function evidenceOf(current: RegisterImportedData, row: RegisterRow): RegisterEvidence {
  return {
    register: current.register,
    version: current.version,
    importedOn: current.importedOn,
    creditCode: row.creditCode,
    name: row.name,
    certificateNumber: row.certificateNumber,
    validFrom: row.validFrom,
    validUntil: row.validUntil,
  };
}
