import { jurisdictionCovers, type Principal } from '@engine/platform';
import type { ApplicationState } from '../domain/application/application.decider';
import type { ApplicationCreatedData, MaterialAttachedData } from '../domain/application/application.events';
import type { MaterialRequirement } from '../domain/policies/policy-types';
import type { EnterpriseState } from '../domain/enterprise/enterprise.decider';
import type { RoundState } from '../domain/round/round.decider';
import { forbidden, invalid, notFound } from '../domain/shared/domain-error';

/**
 * Who can see an application: its enterprise, officers at or above its jurisdiction, auditors;
 * experts only through their panel's blind view (expert review). Anything else is "not found",
 * never "forbidden", so existence does not leak.
 */
export function canSeeApplication(principal: Principal, state: ApplicationState): boolean {
  if (!state.exists) return false;
  const created = state.created;
  switch (principal.role) {
    case 'auditor':
    case 'admin':
      return true;
    case 'enterprise':
      return principal.org === created.creditCode;
    case 'officer':
      return jurisdictionCovers(principal.jurisdiction!, created.jurisdiction);
    default:
      return false;
  }
}

/** The application as created, when the caller may see it; "not found" otherwise. */
export function assertCanSeeApplication(
  principal: Principal,
  state: ApplicationState,
): ApplicationCreatedData {
  if (!state.created || !canSeeApplication(principal, state)) {
    throw notFound('APPLICATION_NOT_FOUND', 'no such application');
  }
  return state.created;
}

/** The enterprise that owns it, and only that enterprise, edits and submits. */
export function assertOwnsApplication(principal: Principal, state: ApplicationState): ApplicationCreatedData {
  if (!state.created || principal.role !== 'enterprise' || principal.org !== state.created.creditCode) {
    throw notFound('APPLICATION_NOT_FOUND', 'no such application');
  }
  return state.created;
}

/**
 * The stages after the district's (formal review, expert panels, the finance opinion, the
 * ministry's decision) belong to officers at or above the round's issuing jurisdiction.
 */
export function assertCityOfficer(principal: Principal, state: ApplicationState, what: string): void {
  if (!state.exists) throw notFound('APPLICATION_NOT_FOUND', 'no such application');
  const roundJurisdiction = state.created.roundJurisdiction;
  if (principal.role !== 'officer' || !jurisdictionCovers(principal.jurisdiction!, roundJurisdiction)) {
    throw forbidden('FORBIDDEN', `${what} belongs to officers of ${roundJurisdiction}`);
  }
}

/**
 * A round's own decisions (publicity, the final list) belong to officers at or above its
 * jurisdiction; an officer elsewhere is told "no such round". No principal is a saga acting
 * for the engine, which may.
 */
export function assertOfficerOverRound(
  principal: Principal | undefined,
  jurisdiction: string,
  what: string,
): void {
  if (!principal) return;
  if (principal.role !== 'officer') throw forbidden('FORBIDDEN', `only officers ${what}`);
  if (!jurisdictionCovers(principal.jurisdiction!, jurisdiction)) {
    throw notFound('ROUND_NOT_FOUND', 'no such round');
  }
}

/**
 * Who follows a round's expert review: auditors, and officers at or above the issuing
 * jurisdiction, see all of it; an officer below the issuer sees only the applications within
 * their own jurisdiction (`within`); anyone else is told "no such round".
 */
export function roundPanelsReach(principal: Principal, round: RoundState): { within?: string } {
  const issuer = round.round?.jurisdiction;
  if (!round.exists || !issuer) throw notFound('ROUND_NOT_FOUND', 'no such round');
  switch (principal.role) {
    case 'auditor':
    case 'admin':
      return {};
    case 'officer':
      if (jurisdictionCovers(principal.jurisdiction!, issuer)) return {};
      if (jurisdictionCovers(issuer, principal.jurisdiction!)) return { within: principal.jurisdiction };
      throw notFound('ROUND_NOT_FOUND', 'no such round');
    default:
      throw notFound('ROUND_NOT_FOUND', 'no such round');
  }
}

/**
 * The materials a caller may read: all of them for whoever sees the application; for an
 * expert drawn onto its panel, only the kinds the pinned policy marks visible to experts
 * (blind review); for anyone else none, and the application is "not found".
 */
export function readableMaterials(
  principal: Principal,
  state: ApplicationState,
  requirements: MaterialRequirement[],
): MaterialAttachedData[] {
  const materials = state.materials ?? [];
  if (canSeeApplication(principal, state)) return materials;
  if (principal.role === 'expert' && state.exists && state.panel?.drawn.includes(principal.sub)) {
    const visible = new Set(requirements.filter((r) => r.visibleToExperts).map((r) => r.kind));
    return materials.filter((m) => visible.has(m.kind));
  }
  throw notFound('APPLICATION_NOT_FOUND', 'no such application');
}

/**
 * Who reads a round (its record, stats and applications table): auditors all of it; officers
 * at or above the issuer all of it, officers below it their own part (`within`); an officer
 * beside it is told "no such round". The same reach as the round's expert review.
 */
export const roundReach = roundPanelsReach;

/** A round is issued at or below the issuing officer's own jurisdiction. */
export function assertMayIssueRound(principal: Principal, jurisdiction: string): void {
  if (principal.role !== 'officer' || !jurisdictionCovers(principal.jurisdiction!, jurisdiction)) {
    throw forbidden('FORBIDDEN', 'a round is issued at or below your own jurisdiction');
  }
}

/**
 * A round's own acts (closing it, drawing its panels) belong to officers at or above its
 * issuing jurisdiction: out of reach is "no such round"; within reach but below the issuer is
 * 403 with `refusal` as the message.
 */
export function assertIssuingOfficer(principal: Principal, round: RoundState, refusal: string): void {
  roundReach(principal, round);
  if (
    principal.role !== 'officer' ||
    !jurisdictionCovers(principal.jurisdiction!, round.round!.jurisdiction)
  ) {
    throw forbidden('FORBIDDEN', refusal);
  }
}

/**
 * Who registers an enterprise: the enterprise itself, or an officer at or above its
 * jurisdiction; anyone else is refused with 403 (the enterprise does not exist yet).
 */
export function assertMayRegisterEnterprise(
  principal: Principal,
  enterprise: { creditCode: string; jurisdiction: string },
): void {
  if (principal.role === 'enterprise' && principal.org !== enterprise.creditCode) {
    throw forbidden('FORBIDDEN', 'an enterprise registers only itself');
  }
  if (principal.role === 'officer' && !jurisdictionCovers(principal.jurisdiction!, enterprise.jurisdiction)) {
    throw forbidden('FORBIDDEN', 'the jurisdiction is outside yours');
  }
}

/**
 * Who sees an enterprise: auditors, the enterprise itself, officers at or above its
 * jurisdiction; anyone else, like an unregistered one, is "no such enterprise".
 */
export function assertCanSeeEnterprise(principal: Principal, state: EnterpriseState): void {
  const inReach =
    state.registered &&
    (principal.role === 'auditor' ||
      (principal.role === 'enterprise' && principal.org === state.creditCode) ||
      (principal.role === 'officer' && jurisdictionCovers(principal.jurisdiction!, state.jurisdiction!)));
  if (!inReach) throw notFound('ENTERPRISE_NOT_FOUND', 'no such enterprise');
}

/**
 * How much of an objection a caller sees: auditors and officers at or above the round's
 * issuer see the objector in full; officers over the application's district see it masked;
 * anyone else is told "no such objection".
 */
export function objectionSight(
  principal: Principal,
  roundJurisdiction: string,
  applicationJurisdiction: string,
): 'full' | 'masked' {
  if (principal.role === 'auditor') return 'full';
  if (principal.role === 'officer') {
    if (jurisdictionCovers(principal.jurisdiction!, roundJurisdiction)) return 'full';
    if (jurisdictionCovers(principal.jurisdiction!, applicationJurisdiction)) return 'masked';
  }
  throw notFound('OBJECTION_NOT_FOUND', 'no such objection');
}

/**
 * How a caller reads an application, judged on it as it is now whatever instant is asked for:
 * an expert with a seat on its panel sees it blind, and only now (no as-of view); whoever sees
 * the application (canSeeApplication) sees it in full; anyone else is "not found".
 */
export function applicationSight(
  principal: Principal,
  current: ApplicationState,
  asOf?: string,
): 'full' | 'blind' {
  if (principal.role === 'expert') {
    if (!current.panel?.drawn.includes(principal.sub) || asOf) {
      throw notFound('APPLICATION_NOT_FOUND', 'no such application');
    }
    return 'blind';
  }
  assertCanSeeApplication(principal, current);
  return 'full';
}

/**
 * Which rounds a caller lists: officers those issued at, above or below their jurisdiction
 * (`reach`), and of a round issued above them only their own part (`partOf`); auditors all of
 * every round. The same reach as reading one round (roundReach).
 */
export function roundsListReach(principal: Principal): {
  reach?: string;
  partOf: (issuer: string) => string | undefined;
} {
  if (principal.role !== 'officer') return { partOf: () => undefined };
  const own = principal.jurisdiction!;
  return { reach: own, partOf: (issuer) => (jurisdictionCovers(own, issuer) ? undefined : own) };
}

/**
 * The jurisdiction a listing of enterprises' records (memberships, innovation indicators) is
 * scoped to: an officer's own, or the narrower one asked for; an auditor's as asked (none: all).
 * Undefined when an officer asks beyond their jurisdiction: nothing there is theirs to see.
 */
export function listingScope(
  principal: Principal,
  asked: string | undefined,
): { jurisdiction?: string } | undefined {
  if (principal.role !== 'officer') return { jurisdiction: asked };
  const own = principal.jurisdiction!;
  if (!asked) return { jurisdiction: own };
  return jurisdictionCovers(own, asked) ? { jurisdiction: asked } : undefined;
}

/**
 * Where statistics are counted: an officer within their jurisdiction (narrower if asked), an
 * auditor as asked (none: everywhere). An officer asking beyond their own is refused (403).
 */
export function statisticsScope(principal: Principal, asked: string | undefined): string | undefined {
  if (principal.role !== 'officer') return asked;
  const own = principal.jurisdiction!;
  if (!asked) return own;
  if (!jurisdictionCovers(own, asked)) {
    throw forbidden('FORBIDDEN', 'statistics are counted within your own jurisdiction', [
      { field: 'jurisdiction', message: `must be at or below ${own}` },
    ]);
  }
  return asked;
}

/**
 * Whose register a caller reads: the jurisdiction asked for, else their own. An officer reads
 * the registers on their line (at, above or below their jurisdiction); one beside it is "no
 * such register".
 */
export function registerReach(principal: Principal, asked: string | undefined): string {
  const jurisdiction = asked ?? principal.jurisdiction;
  if (!jurisdiction) {
    throw invalid('VALIDATION_FAILED', 'validation failed', [
      { field: 'jurisdiction', message: 'name the jurisdiction' },
    ]);
  }
  if (
    principal.role === 'officer' &&
    !jurisdictionCovers(principal.jurisdiction!, jurisdiction) &&
    !jurisdictionCovers(jurisdiction, principal.jurisdiction!)
  ) {
    throw notFound('REGISTER_NOT_FOUND', 'no such register');
  }
  return jurisdiction;
}

/**
 * The officer's worklist and its live stream: the applications whose district is at or below
 * the officer's jurisdiction (the city stage of rounds issued under it).
 */
export function worklistReach(principal: Principal): string {
  if (principal.role !== 'officer') throw forbidden('FORBIDDEN', 'only officers have a worklist');
  return principal.jurisdiction!;
}

/** Whether an application in `district` is within the officer's worklist (worklistReach). */
export function worklistCovers(principal: Principal, district: string): boolean {
  return jurisdictionCovers(worklistReach(principal), district);
}

/**
 * Who reads a round's official documents (the lists and notices as files, any instant): auditors,
 * and officers at or above its issuing jurisdiction; anyone else is told "no such round". Judged
 * on the round as it is now.
 */
export function assertMayReadRoundDocuments(principal: Principal, round: RoundState): void {
  if (!round.exists || !round.round) throw notFound('ROUND_NOT_FOUND', 'no such round');
  const inReach =
    principal.role === 'auditor' ||
    (principal.role === 'officer' && jurisdictionCovers(principal.jurisdiction!, round.round.jurisdiction));
  if (!inReach) throw notFound('ROUND_NOT_FOUND', 'no such round');
}

/**
 * Who reads a round's proposed or final list on the web: anyone (signed in or not) while its
 * publicity runs, since that is what publicity means; otherwise only those who read its
 * documents (assertMayReadRoundDocuments). Judged on the round as it is now.
 */
export function assertMayReadRoundList(principal: Principal | undefined, round: RoundState): void {
  if (!round.exists) throw notFound('ROUND_NOT_FOUND', 'no such round');
  if (round.publicity && !round.final) return;
  if (!principal) throw notFound('ROUND_NOT_FOUND', 'no such round');
  assertMayReadRoundDocuments(principal, round);
}
