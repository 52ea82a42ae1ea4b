import type { QuotaTieBreak } from '../policies/policy-types';
import { conflict, invalid, notFound } from '../shared/domain-error';
import { type Decider, unknownCommand } from '../shared/domain-event';
import type {
  ListEntry,
  ObjectionRaisedData,
  PublicityStartedData,
  RoundDeadlineRecomputedData,
  RoundEvent,
  RoundFinalizedData,
  RoundOpenedData,
} from './round.events';

export type RoundStatus = 'scheduled' | 'open' | 'closed' | 'in-publicity' | 'finalized';

export interface ObjectionState {
  objectionId: string;
  applicationId: string;
  raisedOn: string;
  resolution?: { upheld: boolean; reason: string };
}

/** What a round gathers after it opens. */
interface RoundRecord {
  closedAt?: string;
  publicity?: Omit<PublicityStartedData, 'proposed'>;
  proposed?: ListEntry[];
  objections?: ObjectionState[];
  final?: Omit<RoundFinalizedData, 'removed'> & { noticeIssuedOn?: string };
}

/** A round has its opening facts exactly when it exists. */
export type RoundState =
  | ({ exists: false; round?: undefined } & { [K in keyof RoundRecord]?: undefined })
  | (RoundRecord & { exists: true; round: RoundOpenedData });

export type RoundCommand =
  | { type: 'CreateRound'; data: RoundOpenedData; now: Date }
  | { type: 'CloseRound'; now: Date; reason: string }
  | { type: 'StartPublicity'; now: Date; publicity: PublicityStartedData }
  | { type: 'RaiseObjection'; objection: ObjectionRaisedData }
  | { type: 'ResolveObjection'; objectionId: string; resolution: { upheld: boolean; reason: string } }
  | {
      type: 'FinalizeRound';
      today: string;
      outcome: 'admit' | 'forward';
      notice?: { documentNumber: string; issuer: string };
      tieBreak?: QuotaTieBreak;
    }
  | { type: 'IssueAdmissionNotice'; notice: { documentNumber: string; issuer: string; issuedOn: string } }
  | { type: 'RecomputePublicityEnd'; change: RoundDeadlineRecomputedData };

export const roundDecider: Decider<RoundState, RoundCommand, RoundEvent> = {
  decide(command, state) {
    switch (command.type) {
      case 'CreateRound':
        return createRound(state, command.data, command.now);
      case 'CloseRound':
        return closeRound(state, command.now, command.reason);
      case 'StartPublicity':
        return startPublicity(state, command.now, command.publicity);
      case 'RaiseObjection':
        return raiseObjection(state, command.objection);
      case 'ResolveObjection':
        return resolveObjection(state, command.objectionId, command.resolution);
      case 'FinalizeRound':
        return finalizeRound(state, command.today, command.outcome, command.notice, command.tieBreak);
      case 'IssueAdmissionNotice':
        return issueAdmissionNotice(state, command.notice);
      case 'RecomputePublicityEnd':
        // Only an open publicity whose end the recount moves.
        return state.final || !state.publicity ? [] : [{ type: 'DeadlineRecomputed', data: command.change }];
      default:
        return unknownCommand(command);
    }
  },
  initialState: () => ({ exists: false }),
  evolve(state, event) {
    if (event.type === 'RoundCreated') return { exists: true, round: event.data };
    // Every other event follows the opening on its stream.
    return state.exists ? evolveOpened(state, event) : state;
  },
};

type OpenedRound = Extract<RoundState, { exists: true }>;

function evolveOpened(state: OpenedRound, event: Exclude<RoundEvent, { type: 'RoundCreated' }>): OpenedRound {
  switch (event.type) {
    case 'RoundClosed':
      return { ...state, closedAt: event.data.closedAt };
    case 'PublicityStarted': {
      const { proposed, ...publicity } = event.data;
      return { ...state, publicity, proposed, objections: [] };
    }
    case 'ObjectionRaised':
      return {
        ...state,
        objections: [
          ...(state.objections ?? []),
          {
            objectionId: event.data.objectionId,
            applicationId: event.data.applicationId,
            raisedOn: event.data.raisedOn,
          },
        ],
      };
    case 'ObjectionResolved':
      return {
        ...state,
        objections: (state.objections ?? []).map((o) =>
          o.objectionId === event.data.objectionId
            ? { ...o, resolution: { upheld: event.data.upheld, reason: event.data.reason } }
            : o,
        ),
      };
    case 'DeadlineRecomputed':
      return state.publicity
        ? {
            ...state,
            publicity: {
              ...state.publicity,
              endsOn: event.data.recomputed,
              provisional: event.data.provisional,
            },
          }
        : state;
    case 'RoundFinalized': {
      const { removed: _removed, ...final } = event.data;
      return { ...state, final };
    }
    case 'AdmissionNoticeIssued':
      return state.final
        ? {
            ...state,
            final: {
              ...state.final,
              documentNumber: event.data.documentNumber,
              issuer: event.data.issuer,
              noticeIssuedOn: event.data.issuedOn,
            },
          }
        : state;
  }
}

/** Status at an instant: the window opens and closes by itself; an officer may close it early. */
export function roundStatus(state: RoundState, now: Date): RoundStatus {
  if (!state.exists) throw notFound('ROUND_NOT_FOUND', 'no such round');
  const round = state.round;
  if (state.final) return 'finalized';
  if (state.publicity) return 'in-publicity';
  if (state.closedAt) return 'closed';
  if (now.getTime() < Date.parse(round.opensAt)) return 'scheduled';
  if (now.getTime() >= Date.parse(round.closesAt)) return 'closed';
  return 'open';
}

/** Is `now` inside the round's submission window? */
export function isWithinWindow(state: RoundState, now: Date): boolean {
  return roundStatus(state, now) === 'open';
}

export function createRound(state: RoundState, command: RoundOpenedData, now: Date): RoundEvent[] {
  if (state.exists) {
    throw conflict(
      'ROUND_EXISTS',
      `round ${command.roundId} (this programme, jurisdiction, year and batch) already exists`,
      { existingId: command.roundId },
    );
  }
  if (Date.parse(command.closesAt) <= Date.parse(command.opensAt)) {
    throw invalid('WINDOW_INVALID', 'closesAt must be after opensAt', [
      { field: 'closesAt', message: 'must be after opensAt' },
    ]);
  }
  // Plausible dates: a round's window is at most a year long and opens within two years, so a
  // typo such as a closing date in 9999 is refused rather than kept open for ever.
  const DAY = 86_400_000;
  if (Date.parse(command.closesAt) - Date.parse(command.opensAt) > 366 * DAY) {
    throw invalid('WINDOW_IMPLAUSIBLE', 'a round is open for at most a year', [
      { field: 'closesAt', message: 'must be at most 366 days after opensAt' },
    ]);
  }
  if (Date.parse(command.opensAt) - now.getTime() > 2 * 366 * DAY) {
    throw invalid('WINDOW_IMPLAUSIBLE', 'a round opens within two years', [
      { field: 'opensAt', message: 'must be within two years from now' },
    ]);
  }
  if (Date.parse(command.closesAt) <= now.getTime()) {
    throw invalid('WINDOW_IN_PAST', 'the round would close before it is created', [
      { field: 'closesAt', message: 'must be in the future' },
    ]);
  }
  return [{ type: 'RoundCreated', data: command }];
}

export function closeRound(state: RoundState, now: Date, reason: string): RoundEvent[] {
  const status = roundStatus(state, now);
  if (state.closedAt) throw conflict('ROUND_CLOSED', 'the round is already closed');
  if (status !== 'open' && status !== 'scheduled' && status !== 'closed') {
    throw conflict('ROUND_NOT_OPEN', `a round in status ${status} cannot be closed`);
  }
  return [{ type: 'RoundClosed', data: { closedAt: now.toISOString(), reason } }];
}

// ---------------------------------------------------------------------------------------------
// Publicity (公示), objections, the final list

/** Publicity starts once the submission window is over, once. */
export function startPublicity(state: RoundState, now: Date, publicity: PublicityStartedData): RoundEvent[] {
  const status = roundStatus(state, now);
  if (status === 'in-publicity' || status === 'finalized') {
    throw conflict('PUBLICITY_EXISTS', 'the round has already been publicised');
  }
  if (status !== 'closed')
    throw conflict('ROUND_NOT_CLOSED', 'publicity starts after the submission window closes');
  if (publicity.proposed.length === 0) {
    throw conflict('NOTHING_TO_PUBLICISE', 'no application of this round has passed review yet');
  }
  return [{ type: 'PublicityStarted', data: publicity }];
}

/** Whether `today` is inside the publicity window (both ends included). */
export function inPublicityWindow(state: RoundState, today: string): boolean {
  const p = state.publicity;
  return !!p && !state.final && today >= p.startsOn && today <= p.endsOn;
}

/** The proposed list now, without the applications removed by an upheld objection. */
export function currentList(state: RoundState): ListEntry[] {
  const removed = new Set(
    (state.objections ?? []).filter((o) => o.resolution?.upheld).map((o) => o.applicationId),
  );
  return (state.proposed ?? []).filter((entry) => !removed.has(entry.applicationId));
}

export function raiseObjection(state: RoundState, objection: ObjectionRaisedData): RoundEvent[] {
  if (!inPublicityWindow(state, objection.raisedOn)) {
    throw conflict('OUTSIDE_PUBLICITY', 'objections are accepted only during the publicity period');
  }
  if (!currentList(state).some((e) => e.applicationId === objection.applicationId)) {
    throw conflict('NOT_ON_PROPOSED_LIST', 'the application is not on the proposed list');
  }
  return [{ type: 'ObjectionRaised', data: objection }];
}

export function resolveObjection(
  state: RoundState,
  objectionId: string,
  resolution: { upheld: boolean; reason: string },
): RoundEvent[] {
  const objection = state.objections?.find((o) => o.objectionId === objectionId);
  if (!objection) throw notFound('OBJECTION_NOT_FOUND', 'no such objection');
  if (objection.resolution) throw conflict('OBJECTION_RESOLVED', 'the objection has already been resolved');
  return [
    {
      type: 'ObjectionResolved',
      data: { objectionId, applicationId: objection.applicationId, ...resolution },
    },
  ];
}

export function openObjections(state: RoundState): ObjectionState[] {
  return (state.objections ?? []).filter((o) => !o.resolution);
}

/**
 * The final list: publicity must be over (today after endsOn) and no objection open. What is
 * left of the proposed list is admitted (or forwarded to the ministry, for little giants).
 */
/** A list entry's score as a number ("≈ 70.33" reads 70.33; no score sorts last). */
function scoreOf(entry: ListEntry): number {
  const value = entry.score === null ? NaN : Number.parseFloat(entry.score.replace(/^[^0-9-]+/, ''));
  return Number.isFinite(value) ? value : -Infinity;
}

/**
 * The round's quota (名额) applied to what is left of the proposed list: by score, highest
 * first, ties at the cut broken as the policy says. Without a quota, or within it, all stay.
 */
export function applyQuota(
  list: ListEntry[],
  quota: number | null,
  tieBreak: QuotaTieBreak = 'admit-all-tied',
): { admitted: ListEntry[]; overQuota: ListEntry[] } {
  if (quota === null || list.length <= quota) return { admitted: list, overQuota: [] };
  const ranked = [...list].sort(
    (a, b) =>
      scoreOf(b) - scoreOf(a) || (a.creditCode < b.creditCode ? -1 : a.creditCode > b.creditCode ? 1 : 0),
  );
  let cut = quota;
  if (tieBreak === 'admit-all-tied') {
    const last = scoreOf(ranked[quota - 1]);
    while (cut < ranked.length && scoreOf(ranked[cut]) === last) cut++;
  }
  const admittedIds = new Set(ranked.slice(0, cut).map((e) => e.applicationId));
  return {
    admitted: list.filter((e) => admittedIds.has(e.applicationId)),
    overQuota: ranked.slice(cut),
  };
}

export function finalizeRound(
  state: RoundState,
  today: string,
  outcome: 'admit' | 'forward',
  notice: { documentNumber: string; issuer: string } | undefined = undefined,
  tieBreak?: QuotaTieBreak,
): RoundEvent[] {
  if (state.final) throw conflict('ROUND_FINALIZED', 'the round is already finalized');
  if (!state.exists || !state.publicity) throw conflict('NO_PUBLICITY', 'the round has not been publicised');
  if (today <= state.publicity.endsOn) {
    throw conflict('PUBLICITY_RUNNING', `publicity runs until ${state.publicity.endsOn}`);
  }
  const open = openObjections(state);
  if (open.length) throw conflict('OBJECTION_OPEN', `${open.length} objection(s) are not resolved yet`);
  const removed = (state.objections ?? [])
    .filter((o) => o.resolution?.upheld)
    .map((o) => ({ applicationId: o.applicationId, objectionId: o.objectionId }));
  const { admitted, overQuota } = applyQuota(currentList(state), state.round.quota ?? null, tieBreak);
  return [
    {
      type: 'RoundFinalized',
      data: {
        admitted,
        removed,
        finalizedOn: today,
        outcome,
        ...(overQuota.length ? { overQuota, quotaTieBreak: tieBreak ?? 'admit-all-tied' } : {}),
        ...notice,
      },
    },
  ];
}

/** Numbers the admission notice of a finalized round, once (finalizing with a number counts). */
export function issueAdmissionNotice(
  state: RoundState,
  notice: { documentNumber: string; issuer: string; issuedOn: string },
): RoundEvent[] {
  if (!state.final) throw conflict('NOT_FINALIZED', 'the round has not been finalized yet');
  if (state.final.documentNumber) {
    throw conflict(
      'NOTICE_NUMBERED',
      `the admission notice already carries the number ${state.final.documentNumber}`,
    );
  }
  return [{ type: 'AdmissionNoticeIssued', data: notice }];
}
