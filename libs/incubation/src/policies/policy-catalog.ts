/**
 * The policy catalogue: every file under policies/ read and validated at boot. A bad file stops
 * the boot with messages that name the file and the field, e.g.
 *   policies/eaglet/wuxi-2024.yaml: criteria.all[2].measure: unknown measure "rdShareOfRevenu" (did you mean "rdShareOfRevenue"?)
 *
 * Layout: policies/<programme>/<version>.yaml; the policy's id is "<programme>/<version>".
 * Every version belongs to its issuing jurisdiction (a city's, a province's, or the ministry's,
 * `cn`). Versions of one programme by one issuer may not overlap in time, so each issuer has
 * exactly one (or none) in force on any day; two cities' versions coexist. A round pins the
 * version of the nearest issuer at or above the round's jurisdiction in force on the day it opens.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { formatPolicyPath, parsePolicy } from '../domain/policies/policy-schema';
import { PROGRAMMES, type Policy, type Programme } from '../domain/policies/policy-types';

export class PolicyCatalogError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid policies:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PolicyCatalogError';
  }
}

export class UnknownPolicyVersionError extends Error {
  constructor(readonly policyVersion: string) {
    super(`no policy version "${policyVersion}"`);
    this.name = 'UnknownPolicyVersionError';
  }
}

export type PolicyFileResult = { ok: true; policy: Policy } | { ok: false; problems: string[] };

/**
 * Parses and validates one policy file's text. `displayPath` (e.g. "policies/eaglet/wuxi-2024.yaml")
 * prefixes every problem; when `expectedId` is given the file's id must match it.
 */
export function parsePolicyFile(displayPath: string, text: string, expectedId?: string): PolicyFileResult {
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map((error) => {
        const position = error.linePos?.[0];
        const where = position ? `:${position.line}:${position.col}` : '';
        return `${displayPath}${where}: ${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`;
      }),
    };
  }
  const result = parsePolicy(document.toJS({ maxAliasCount: 100 }));
  if (!result.ok) {
    return {
      ok: false,
      problems: result.issues.map(
        (issue) => `${displayPath}: ${formatPolicyPath(issue.path)}: ${issue.message}`,
      ),
    };
  }
  if (expectedId !== undefined && result.policy.id !== expectedId) {
    return {
      ok: false,
      problems: [`${displayPath}: id: is "${result.policy.id}" but the file's place says "${expectedId}"`],
    };
  }
  return result;
}

/** The national issuer: its policies apply everywhere. */
export const NATIONAL_ISSUER = 'cn';

/** Whether an issuer's policies apply to `jurisdiction` (the issuer's own or one below it). */
export function issuerCovers(issuer: string, jurisdiction: string): boolean {
  return issuer === NATIONAL_ISSUER || jurisdiction === issuer || jurisdiction.startsWith(`${issuer}.`);
}

/** How far below the nation an issuer sits: `cn` 0, `js` 1, `js.wuxi` 2. */
function issuerDepth(issuer: string): number {
  return issuer === NATIONAL_ISSUER ? 0 : issuer.split('.').length;
}

function describePeriod(policy: Policy): string {
  return `${policy.effectiveFrom} to ${policy.effectiveTo ?? 'open-ended'}`;
}

export class PolicyCatalog {
  private readonly byId: ReadonlyMap<string, Policy>;

  private constructor(policies: readonly Policy[]) {
    this.byId = new Map(policies.map((policy) => [policy.id, policy]));
  }

  /**
   * A catalogue of already validated policies.
   * @throws PolicyCatalogError on duplicate ids or versions of a programme that overlap in time.
   */
  static of(policies: readonly Policy[], describe: (policy: Policy) => string = (p) => p.id): PolicyCatalog {
    const problems: string[] = [];
    const ids = new Set<string>();
    for (const policy of policies) {
      if (ids.has(policy.id)) problems.push(`${describe(policy)}: id: "${policy.id}" appears twice`);
      ids.add(policy.id);
    }
    const issuers = [...new Set(policies.map((p) => p.jurisdiction))].sort();
    for (const [programme, issuer] of PROGRAMMES.flatMap((p) => issuers.map((i) => [p, i] as const))) {
      const versions = policies
        .filter((p) => p.programme === programme && p.jurisdiction === issuer)
        .sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
      for (let i = 1; i < versions.length; i++) {
        const [earlier, later] = [versions[i - 1], versions[i]];
        if (earlier.effectiveTo === null || earlier.effectiveTo >= later.effectiveFrom) {
          problems.push(
            `${describe(later)}: effectiveFrom: ${later.effectiveFrom} overlaps ${earlier.id} of the same issuer ${issuer} (in force ${describePeriod(earlier)}); ` +
              `close the earlier version with effectiveTo before this one starts`,
          );
        }
      }
    }
    if (problems.length > 0) throw new PolicyCatalogError(problems);
    return new PolicyCatalog(policies);
  }

  /** @throws UnknownPolicyVersionError */
  get(policyVersion: string): Policy {
    const policy = this.byId.get(policyVersion);
    if (!policy) throw new UnknownPolicyVersionError(policyVersion);
    return policy;
  }

  find(policyVersion: string): Policy | undefined {
    return this.byId.get(policyVersion);
  }

  /** Every version, by programme, then by effective date, then by issuer. */
  list(): Policy[] {
    const order = (p: Policy) => PROGRAMMES.indexOf(p.programme);
    return [...this.byId.values()].sort(
      (a, b) =>
        order(a) - order(b) ||
        a.effectiveFrom.localeCompare(b.effectiveFrom) ||
        a.jurisdiction.localeCompare(b.jurisdiction),
    );
  }

  versionsOf(programme: Programme): Policy[] {
    return this.list().filter((policy) => policy.programme === programme);
  }

  /** Every version of a programme in force on a date (YYYY-MM-DD), one per issuer at most. */
  allInForce(programme: Programme, date: string): Policy[] {
    return this.versionsOf(programme).filter(
      (policy) => policy.effectiveFrom <= date && (policy.effectiveTo === null || date <= policy.effectiveTo),
    );
  }

  /**
   * The version of a programme that governs `jurisdiction` on `date`: among the versions in force
   * then whose issuer is at or above the jurisdiction (`js.wuxi` over `js.wuxi.xinwu`, `cn` over
   * all), the nearest issuer's. A Xiamen round is never judged by Wuxi's rules.
   */
  inForce(programme: Programme, date: string, jurisdiction: string): Policy | undefined {
    return this.allInForce(programme, date)
      .filter((policy) => issuerCovers(policy.jurisdiction, jurisdiction))
      .sort((a, b) => issuerDepth(b.jurisdiction) - issuerDepth(a.jurisdiction))[0];
  }
}

/** policies/ in the working directory, where `npm start` runs. */
export function defaultPolicyDirectory(): string {
  return resolve(process.cwd(), 'policies');
}

/**
 * Reads every `<programme>/<version>.yaml` under `directory` and validates all of them,
 * reporting every problem of every file at once.
 * @throws PolicyCatalogError
 */
export function loadPolicyCatalog(directory: string = defaultPolicyDirectory()): PolicyCatalog {
  const root = basename(directory);
  if (!existsSync(directory) || !statSync(directory).isDirectory()) {
    throw new PolicyCatalogError([`${directory}: no such directory`]);
  }
  const problems: string[] = [];
  const policies: Policy[] = [];
  const where = new Map<string, string>();
  for (const entry of readdirSync(directory, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (entry.name.startsWith('.')) continue;
    if (!entry.isDirectory()) {
      if (/\.ya?ml$/.test(entry.name))
        problems.push(`${root}/${entry.name}: policy files go in a folder named after the programme`);
      continue;
    }
    if (!(PROGRAMMES as readonly string[]).includes(entry.name)) {
      problems.push(`${root}/${entry.name}: not a programme (expected one of ${PROGRAMMES.join(', ')})`);
      continue;
    }
    for (const file of readdirSync(join(directory, entry.name)).sort()) {
      const displayPath = `${root}/${entry.name}/${file}`;
      if (file.startsWith('.') || !/\.ya?ml$/.test(file)) continue;
      const result = parsePolicyFile(
        displayPath,
        readFileSync(join(directory, entry.name, file), 'utf8'),
        `${entry.name}/${file.replace(/\.ya?ml$/, '')}`,
      );
      if (result.ok) {
        policies.push(result.policy);
        where.set(result.policy.id, displayPath);
      } else {
        problems.push(...result.problems);
      }
    }
  }
  if (problems.length === 0 && policies.length === 0) problems.push(`${directory}: no policy files`);
  if (problems.length > 0) throw new PolicyCatalogError(problems);
  return PolicyCatalog.of(policies, (policy) => where.get(policy.id) ?? policy.id);
}

/** What GET /v1/programmes shows of a version. */
export function summarizePolicy(policy: Policy) {
  return {
    code: policy.programme,
    name: policy.name,
    policyVersion: policy.id,
    issuer: policy.issuer,
    jurisdiction: policy.jurisdiction,
    documentNumber: policy.documentNumber,
    effectiveFrom: policy.effectiveFrom,
    effectiveTo: policy.effectiveTo,
    publicityWorkingDays: policy.workflow.publicityWorkingDays,
  };
}
