/**
 * Who sees what of an application and of its history (blind review).
 *
 * - officers and auditors: everything (they run and check the review);
 * - the enterprise: its own data, the status, the outcome and the published mean once the
 *   panel has concluded; never who sits on the panel, the individual scores, the draw, the
 *   reminders or the replacements, unless the policy's `expertPanel.disclosure` discloses
 *   them once the application is final;
 * - an expert on the panel: the fields of `data` the policy lists in `expertPanel.expertSees`
 *   and nothing else (no credit code, no name, no founding date, no figure it does not list),
 *   the eligibility verdicts without the figures behind them, and its own seat.
 *
 * Pure functions over the folded state, the policy and the stored events.
 */
import type { ApplicationStatus, ApplicationState, ExistingApplication } from './application.decider';
import type { EligibilityRecord } from './application.events';
import { notFound } from '../shared/domain-error';
import type { PanelDisclosure, WorkflowSettings } from '../policies/policy-types';

/** The part of a policy version the views read. */
export type PolicyWorkflow = { workflow: WorkflowSettings };

export type ViewerRole = 'enterprise' | 'officer' | 'auditor' | 'admin' | 'expert';

/** Statuses after which nothing more happens to an application: disclosure may apply. */
export const FINAL_STATUSES: readonly ApplicationStatus[] = ['admitted', 'rejected', 'failed', 'withdrawn'];

/** The application a view is made of: one that exists ("no such application" otherwise). */
export function viewSubject(applicationId: string, revision: number, state: ApplicationState): ViewSubject {
  if (!state.exists) throw notFound('APPLICATION_NOT_FOUND', 'no such application');
  return { applicationId, revision, state };
}

export interface ViewSubject {
  applicationId: string;
  revision: number;
  state: ExistingApplication;
}

/** What the policy discloses to the enterprise about its panel now (none while it runs). */
export function disclosureFor(state: ApplicationState, policy: PolicyWorkflow | undefined): PanelDisclosure {
  if (!FINAL_STATUSES.includes(state.status)) return 'none';
  return policy?.workflow.expertPanel?.disclosure ?? 'none';
}

/** Officers' and auditors' view: everything the state holds. */
export function fullView({ applicationId, revision, state: s }: ViewSubject) {
  return {
    id: applicationId,
    programme: s.created.programme,
    roundId: s.created.roundId,
    creditCode: s.created.creditCode,
    status: s.status,
    revision,
    policyVersion: s.created.policyVersion,
    eligibility: s.eligibility ?? null,
    data: s.data,
    ...(s.awaiting ? { awaiting: s.awaiting } : {}),
    ...(s.returned ? { returned: s.returned } : {}),
    ...(s.rejection ? { rejection: s.rejection } : {}),
    ...(s.result ? { score: s.result.mean, result: s.result } : {}),
    ...(s.panel
      ? {
          panel: s.panel.members.map((m) => ({
            expertId: m.expertId,
            dueOn: m.dueOn,
            scored: m.score !== undefined,
          })),
        }
      : {}),
    ...(s.financing ? { financing: s.financing } : {}),
    ...(s.publicity ? { publicity: s.publicity } : {}),
    ...(s.admission ? { membershipId: s.admission.membershipId } : {}),
    ...(s.nationalDecision ? { nationalDecision: s.nationalDecision } : {}),
  };
}

/**
 * The enterprise's view: no panel while the review runs; the published mean once the panel has
 * concluded; after the application is final, what the policy discloses.
 */
export function enterpriseView(subject: ViewSubject, policy: PolicyWorkflow | undefined) {
  const { panel: _panel, awaiting, ...rest } = fullView(subject);
  const s = subject.state;
  const disclosure = disclosureFor(s, policy);
  // "awaiting: expert-panel" is not a state here; a later stage (finance, ministry) is public.
  const shown = { ...rest, ...(awaiting ? { awaiting } : {}) };
  if (disclosure === 'none' || !s.panel) return shown;
  const scores = s.panel.members
    .filter((m) => m.score !== undefined)
    .map((m) =>
      disclosure === 'experts-and-scores' ? { expertId: m.expertId, score: m.score! } : { score: m.score! },
    );
  return { ...shown, panelScores: scores };
}

/** The parts of `value` the paths (split dotted paths) name; arrays are walked item by item. */
function project(value: unknown, paths: string[][]): unknown {
  if (paths.some((path) => path.length === 0)) return value;
  if (Array.isArray(value)) return value.map((item) => project(item, paths));
  if (value === null || typeof value !== 'object') return undefined;
  const out: Record<string, unknown> = {};
  for (const head of new Set(paths.map((path) => path[0]))) {
    if (!Object.prototype.hasOwnProperty.call(value, head)) continue;
    const picked = project(
      (value as Record<string, unknown>)[head],
      paths.filter((path) => path[0] === head).map((path) => path.slice(1)),
    );
    if (picked !== undefined) out[head] = picked;
  }
  return out;
}

/**
 * Only the listed dotted paths of `data`. `financials.year` keeps each year's `year`, so lists
 * stay aligned: `[financials.year, financials.rdExpense]` gives `[{year, rdExpense}, …]`.
 */
export function pickFields(data: Record<string, unknown> | undefined, fields: readonly string[]) {
  if (!data || fields.length === 0) return {};
  return project(
    data,
    fields.map((field) => field.split('.')),
  ) as Record<string, unknown>;
}

/** The verdict of each rule without the figures behind it (they would name the enterprise's). */
export function blindEligibility(eligibility: EligibilityRecord | undefined) {
  if (!eligibility) return null;
  return {
    eligible: eligibility.eligible,
    policyVersion: eligibility.policyVersion,
    checks: eligibility.checks.map((c) => ({ rule: c.rule, passed: c.passed, hard: c.hard })),
  };
}

/** An expert's blind view: what the policy lets experts see, and its own seat. */
export function expertView(subject: ViewSubject, expertId: string, policy: PolicyWorkflow | undefined) {
  const s = subject.state;
  const seat = s.panel?.members.find((m) => m.expertId === expertId);
  return {
    id: subject.applicationId,
    programme: s.created.programme,
    roundId: s.created.roundId,
    status: s.status,
    revision: subject.revision,
    policyVersion: s.created.policyVersion,
    eligibility: blindEligibility(s.eligibility),
    data: pickFields(s.data, policy?.workflow.expertPanel?.expertSees ?? []),
    // `declaration`: the expert's conflict-of-interest declaration (null until made), so a
    // console opened again knows whether to ask for it before the scoring sheet.
    seat: seat
      ? {
          dueOn: seat.dueOn,
          scored: seat.score !== undefined,
          score: seat.score ?? null,
          declaration: seat.declaration ?? null,
        }
      : null,
  };
}

/** One history entry as the API shows it. */
export interface HistoryEntry {
  position: number;
  revision: number;
  type: string;
  occurredAt: string;
  recordedAt?: string;
  actor: unknown;
  data: unknown;
  hash: string;
  /** Set when part of `data` is withheld from this viewer (its hash is of the whole event). */
  redacted?: true;
}

/** Event types the enterprise always sees, in full. Anything not listed is hidden from it. */
const ENTERPRISE_EVENTS = new Set([
  'ApplicationCreated',
  'ApplicationDataUpdated',
  'MaterialAttached',
  'MaterialRemoved',
  'ApplicationSubmitted',
  'ApplicationRecommended',
  'ApplicationAcceptedForExpertReview',
  'ApplicationReturned',
  'ApplicationRejected',
  'ApplicationWithdrawn',
  'FinanceOpinionRecorded',
  'ApplicationPublicised',
  'ApplicationForwardedToMinistry',
  'NationalDecisionRecorded',
  'ApplicationAdmitted',
]);

/** The panel's own events, shown to the enterprise only as the policy discloses after the end. */
const PANEL_EVENTS = new Set([
  'ExpertPanelDrawn',
  'ExpertReplaced',
  'ExpertReminded',
  'ExpertScoreSubmitted',
]);

/**
 * The enterprise's history: its own and the officers' steps; the panel's conclusion as the
 * published mean (scores withheld); the panel's own events only when the policy discloses them
 * after the application is final (`scores`: each score without name or comment;
 * `experts-and-scores`: everything).
 */
export function enterpriseHistory(
  entries: readonly HistoryEntry[],
  state: ApplicationState,
  policy: PolicyWorkflow | undefined,
): HistoryEntry[] {
  const disclosure = disclosureFor(state, policy);
  const out: HistoryEntry[] = [];
  for (const entry of entries) {
    if (ENTERPRISE_EVENTS.has(entry.type)) {
      out.push(entry);
    } else if (entry.type === 'ExpertReviewConcluded') {
      if (disclosure === 'experts-and-scores') {
        out.push(entry);
        continue;
      }
      const d = entry.data as {
        scores: { score: number }[];
        mean: string;
        required: string;
        passed: boolean;
        next: unknown;
      };
      out.push({
        ...entry,
        actor: { sub: 'system', role: 'system' },
        data: {
          mean: d.mean,
          required: d.required,
          passed: d.passed,
          next: d.next,
          ...(disclosure === 'scores' ? { scores: d.scores.map((x) => x.score) } : {}),
        },
        redacted: true,
      });
    } else if (PANEL_EVENTS.has(entry.type) && disclosure === 'experts-and-scores') {
      out.push(entry);
    } else if (entry.type === 'ExpertScoreSubmitted' && disclosure === 'scores') {
      out.push({
        ...entry,
        actor: { sub: 'expert', role: 'expert' },
        data: { score: (entry.data as { score: number }).score },
        redacted: true,
      });
    }
  }
  return out;
}
