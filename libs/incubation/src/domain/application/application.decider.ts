import { conflict, invalid, notFound, ruleViolated, tooLarge, unsupported } from '../shared/domain-error';
import { type Decider, unknownCommand } from '../shared/domain-event';
import { judgePanel } from '../policies/panel';
import type { FinancingTerms, ExpertPanelSettings, MaterialRequirement } from '../policies/policy-types';
import { drawPanel, type PanelCandidate, type PanelRules } from '../expert-review/panel-draw';
import { type IndicatorScore, totalOfSheet } from '../expert-review/scoring-sheet';
import type { EnterpriseState } from '../enterprise/enterprise.decider';
import { assertMayReReview, type MembershipState } from '../membership/membership.decider';
import { roundStatus, type RoundState } from '../round/round.decider';
import { approvedFinancing } from './finance-opinion';
import type {
  ApplicationAdmittedData,
  ApplicationCreatedData,
  ApplicationEvent,
  EligibilityRecord,
  DeadlineRecomputedData,
  ExpertPanelDrawnData,
  ExpertReplacedData,
  ExpertScoreSubmittedData,
  FinanceOpinionData,
  FinancingDecision,
  LaterStage,
  MaterialAttachedData,
  RejectionStage,
  ReviewDecision,
  ReviewStage,
} from './application.events';

export type ApplicationStatus =
  | 'draft'
  | 'submitted'
  | 'returned'
  | 'withdrawn'
  | 'recommended'
  | 'in-expert-review'
  | 'passed'
  | 'failed'
  | 'in-publicity'
  | 'admitted'
  | 'rejected';

/** Set while returned: the stage that returned it and the response deadline (YYYY-MM-DD). */
export interface ReturnedForMore {
  stage: ReviewStage;
  respondBy: string;
  reason: string;
  /** respondBy was counted on a provisional calendar. */
  provisional?: boolean;
  /** The date the return first set, once a recount (DeadlineRecomputed) moved it. */
  computedFrom?: string;
}

/** What an application gathers as it goes through its stages. */
interface ApplicationRecord {
  data?: Record<string, unknown>;
  eligibility?: EligibilityRecord;
  /** The stage the application waits for: a review stage, or the finance bureau or ministry. */
  awaiting?: ReviewStage | LaterStage;
  rejection?: { stage: RejectionStage; reason: string };
  /** The expert panel while and after it reviews. */
  panel?: PanelState;
  /** The panel's verdict. */
  result?: { mean: string; required: string; passed: boolean };
  financing?: FinancingDecision;
  publicity?: { startsOn: string; endsOn: string };
  admission?: ApplicationAdmittedData;
  nationalDecision?: { decision: 'recognized' | 'rejected'; documentNumber: string };
  /** Files attached now, in the order attached. */
  materials?: MaterialAttachedData[];
}

/** No application on this stream (yet): nothing but the initial status. */
export type NoApplication = { exists: false; status: 'draft'; created?: undefined; returned?: undefined } & {
  [K in keyof ApplicationRecord]?: undefined;
};

/**
 * A created application: it has its creation facts, and it is returned (with its response
 * deadline) exactly when its status says so.
 */
export type ExistingApplication = ApplicationRecord & { exists: true; created: ApplicationCreatedData } & (
    | { status: 'returned'; returned: ReturnedForMore }
    | { status: Exclude<ApplicationStatus, 'returned'>; returned?: undefined }
  );

/** The application's state, narrowed by `exists` and `status` (no field is asserted present). */
export type ApplicationState = NoApplication | ExistingApplication;

export interface PanelMember {
  expertId: string;
  dueOn: string;
  /** dueOn was counted on a provisional calendar. */
  provisional?: boolean;
  score?: number;
  reminded?: boolean;
  /** The conflict-of-interest declaration: `none` lets them score; `conflict` awaits their replacement. */
  declaration?: 'none' | 'conflict';
}

export interface PanelState {
  /** Serving members, in the order drawn (a replacement takes the place of the one it replaces). */
  members: PanelMember[];
  /** Everyone ever drawn for this application (a replaced expert is never drawn again). */
  drawn: string[];
  size: number;
}

const updateMember = (
  state: ExistingApplication,
  expertId: string,
  change: (m: PanelMember) => PanelMember,
) =>
  state.panel
    ? {
        ...state.panel,
        members: state.panel.members.map((m) => (m.expertId === expertId ? change(m) : m)),
      }
    : undefined;

function recomputed(state: ExistingApplication, change: DeadlineRecomputedData): ExistingApplication {
  switch (change.deadline) {
    case 'response':
      return state.returned
        ? {
            ...state,
            returned: {
              ...state.returned,
              respondBy: change.recomputed,
              provisional: change.provisional,
              computedFrom: state.returned.computedFrom ?? state.returned.respondBy,
            },
          }
        : state;
    case 'expert-scoring':
      return {
        ...state,
        panel: updateMember(state, change.expertId!, (m) => ({
          ...m,
          dueOn: change.recomputed,
          provisional: change.provisional,
        })),
      };
    case 'publicity-end':
      return state.publicity
        ? { ...state, publicity: { ...state.publicity, endsOn: change.recomputed } }
        : state;
  }
}

/** A field the policy's data schema refuses (VALIDATION_FAILED). */
export interface DataProblem {
  field: string;
  message: string;
}

/** The pool a draw picks from: eligible candidates (sorted by id) and the experts excluded for affiliation. */
export interface PanelPool {
  candidates: PanelCandidate[];
  excluded: string[];
}

/**
 * Every command of the application stream, with the facts its decision needs, gathered by its
 * handler (use-cases/): the round and enterprise as they stand, the policy's terms, today.
 */
export type ApplicationCommand =
  | {
      type: 'CreateApplication';
      applicationId: string;
      roundId: string;
      creditCode: string;
      data: Record<string, unknown>;
      reReviewOf: string | null;
      /** The round, the enterprise and (for a re-review) the membership as they stand now. */
      round: RoundState;
      enterprise: EnterpriseState;
      membership?: MembershipState;
      /** What the pinned policy's data schema says of `data`. */
      problems: DataProblem[];
      now: Date;
      today: string;
    }
  | { type: 'UpdateApplicationData'; data: Record<string, unknown> }
  | ({ type: 'SubmitApplication' } & SubmitContext)
  | ({ type: 'ReviewApplication' } & ReviewCommand)
  | ({ type: 'AttachMaterial'; material: MaterialAttachedData } & AttachMaterialContext)
  | { type: 'RemoveMaterial'; materialId: string }
  | { type: 'WithdrawForMissedDeadline'; today: string }
  | {
      type: 'DrawPanel';
      /** The policy's panel settings; undefined when the programme has no expert review. */
      settings: ExpertPanelSettings | undefined;
      /** The size the officer asks for; the policy's when absent. */
      size?: number;
      pool: PanelPool;
      seed: string;
      /** The scoring deadline of a panel drawn today. */
      due: { endsOn: string; provisional: boolean };
    }
  | {
      type: 'ScoreApplication';
      expertId: string;
      score?: number;
      indicators?: readonly IndicatorScore[];
      comment: string | null;
      settings: ExpertPanelSettings | undefined;
      next: LaterStage | null;
    }
  | { type: 'DeclareConflict'; expertId: string; conflict: boolean; reason: string | null }
  | { type: 'RemindExpert'; expertId: string }
  | {
      type: 'ReplaceExpert';
      expertId: string;
      reason: ExpertReplacedData['reason'];
      today: string;
      settings: ExpertPanelSettings | undefined;
      /** Candidates without the affiliated and without anyone drawn before. */
      pool: PanelCandidate[];
      seed: string;
      /** The scoring deadline of a replacement drawn today (with the policy's settings). */
      due?: { endsOn: string; provisional: boolean };
      /**
       * An officer asks (409 EXPERT_NOT_OVERDUE when the seat is not due for replacement); the
       * saga's own request is a no-op then, so a step repeated after the fact changes nothing.
       */
      requestedBy?: 'officer';
    }
  | {
      type: 'RecordFinanceOpinion';
      approved: boolean;
      opinion: string;
      asked?: Partial<FinancingDecision>;
      /** The policy's financing terms (undefined: the programme carries none). */
      terms: FinancingTerms | undefined;
      today: string;
    }
  | {
      type: 'Publicise';
      publicity: { roundId: string; startsOn: string; endsOn: string; provisional?: boolean };
    }
  | { type: 'RejectLate'; stage: RejectionStage; reason: string }
  | { type: 'Admit'; admission: ApplicationAdmittedData }
  | { type: 'ForwardToMinistry'; roundId: string }
  | {
      type: 'RecordNationalDecision';
      decision: { decision: 'recognized' | 'rejected'; documentNumber: string };
      admission: ApplicationAdmittedData;
    }
  | { type: 'RecomputeDeadline'; change: DeadlineRecomputedData };

export const applicationDecider: Decider<ApplicationState, ApplicationCommand, ApplicationEvent> = {
  decide(command, state) {
    switch (command.type) {
      case 'CreateApplication':
        return decideCreate(command, state);
      case 'UpdateApplicationData':
        return updateApplicationData(state, command.data);
      case 'SubmitApplication':
        return submitApplication(state, command);
      case 'ReviewApplication':
        return reviewApplication(state, command);
      case 'AttachMaterial':
        return attachMaterial(state, command.material, command);
      case 'RemoveMaterial':
        return removeMaterial(state, command.materialId);
      case 'WithdrawForMissedDeadline':
        return withdrawForMissedDeadline(state, command.today);
      case 'DrawPanel':
        return decideDraw(command, state);
      case 'ScoreApplication':
        if (!command.settings) throw conflict('NO_EXPERT_PANEL', 'this programme has no expert review');
        return scoreApplication(state, { ...command, settings: command.settings });
      case 'DeclareConflict':
        return declareConflict(state, command);
      case 'RemindExpert':
        return remindExpert(state, command.expertId);
      case 'ReplaceExpert':
        return decideReplacement(command, state);
      case 'RecordFinanceOpinion': {
        const financing = command.approved
          ? approvedFinancing(command.terms, state, command.asked, command.today)
          : null;
        return recordFinanceOpinion(state, {
          approved: command.approved,
          opinion: command.opinion,
          financing,
        });
      }
      case 'Publicise':
        return publicise(state, command.publicity);
      case 'RejectLate':
        return rejectLate(state, command.stage, command.reason);
      case 'Admit':
        return admit(state, command.admission);
      case 'ForwardToMinistry':
        return forwardToMinistry(state, command.roundId);
      case 'RecordNationalDecision':
        if (state.created?.programme !== 'little-giant') {
          throw conflict('NOT_NATIONAL', 'only little-giant applications are decided by the ministry');
        }
        return recordNationalDecision(state, command.decision, command.admission);
      case 'RecomputeDeadline':
        return [{ type: 'DeadlineRecomputed', data: command.change }];
      default:
        return unknownCommand(command);
    }
  },
  initialState: () => ({ exists: false, status: 'draft' }),
  evolve(state, event) {
    if (event.type === 'ApplicationCreated') {
      return { exists: true, status: 'draft', created: event.data, data: event.data.data };
    }
    // Every other event follows the creation on its stream.
    return state.exists ? evolveExisting(state, event) : state;
  },
};

/** The status changes and the record an application gathers after its creation. */
function evolveExisting(
  state: ExistingApplication,
  event: Exclude<ApplicationEvent, { type: 'ApplicationCreated' }>,
): ExistingApplication {
  switch (event.type) {
    case 'ApplicationDataUpdated':
      return { ...state, data: event.data.data };
    case 'ApplicationSubmitted':
      return {
        ...state,
        status: 'submitted',
        data: event.data.data,
        eligibility: event.data.eligibility,
        // A resubmission goes back to the stage that asked for more material.
        awaiting: state.returned?.stage ?? event.data.firstStage ?? 'district',
        returned: undefined,
      };
    case 'ApplicationRecommended':
      return { ...state, status: 'recommended', awaiting: 'city', returned: undefined };
    case 'ApplicationAcceptedForExpertReview':
      return { ...state, status: 'in-expert-review', awaiting: undefined, returned: undefined };
    case 'ApplicationReturned':
      return { ...state, status: 'returned', awaiting: undefined, returned: { ...event.data } };
    case 'ApplicationRejected':
      return {
        ...state,
        status: 'rejected',
        awaiting: undefined,
        returned: undefined,
        rejection: { ...event.data },
      };
    case 'ApplicationWithdrawn':
      return { ...state, status: 'withdrawn', awaiting: undefined, returned: undefined };
    case 'ExpertPanelDrawn':
      return {
        ...state,
        panel: {
          members: event.data.experts.map((expertId) => ({
            expertId,
            dueOn: event.data.dueOn,
            ...(event.data.provisional ? { provisional: true } : {}),
          })),
          drawn: [...event.data.experts],
          size: event.data.rules.size,
        },
      };
    case 'ExpertReplaced':
      return {
        ...state,
        panel: state.panel && {
          ...state.panel,
          members: state.panel.members.map((m) =>
            m.expertId === event.data.expertId
              ? {
                  expertId: event.data.replacement,
                  dueOn: event.data.dueOn,
                  ...(event.data.provisional ? { provisional: true } : {}),
                }
              : m,
          ),
          drawn: [...state.panel.drawn, event.data.replacement],
        },
      };
    case 'ExpertReminded':
      return {
        ...state,
        panel: updateMember(state, event.data.expertId, (m) => ({ ...m, reminded: true })),
      };
    case 'ExpertConflictDeclared':
      return {
        ...state,
        panel: updateMember(state, event.data.expertId, (m) => ({
          ...m,
          declaration: event.data.conflict ? 'conflict' : 'none',
        })),
      };
    case 'ExpertScoreSubmitted':
      return {
        ...state,
        panel: updateMember(state, event.data.expertId, (m) => ({ ...m, score: event.data.score })),
      };
    case 'ExpertReviewConcluded':
      return {
        ...state,
        status: event.data.passed ? 'passed' : 'failed',
        returned: undefined,
        awaiting: event.data.passed ? (event.data.next ?? undefined) : undefined,
        result: { mean: event.data.mean, required: event.data.required, passed: event.data.passed },
      };
    case 'FinanceOpinionRecorded':
      return {
        ...state,
        awaiting: undefined,
        financing: event.data.financing ?? undefined,
      };
    case 'ApplicationPublicised':
      return {
        ...state,
        status: 'in-publicity',
        returned: undefined,
        publicity: { startsOn: event.data.startsOn, endsOn: event.data.endsOn },
      };
    case 'ApplicationForwardedToMinistry':
      return { ...state, status: 'recommended', awaiting: 'ministry', returned: undefined };
    case 'NationalDecisionRecorded':
      return { ...state, awaiting: undefined, nationalDecision: { ...event.data } };
    case 'ApplicationAdmitted':
      return {
        ...state,
        status: 'admitted',
        awaiting: undefined,
        returned: undefined,
        admission: event.data,
      };
    case 'MaterialAttached':
      return { ...state, materials: [...(state.materials ?? []), { ...event.data }] };
    case 'MaterialRemoved':
      return {
        ...state,
        materials: (state.materials ?? []).filter((m) => m.materialId !== event.data.materialId),
      };
    case 'DeadlineRecomputed':
      return recomputed(state, event.data);
  }
}

type Command<T extends ApplicationCommand['type']> = Extract<ApplicationCommand, { type: T }>;

/**
 * An enterprise opens a draft in a registered, open (or scheduled) round, not while banned; a
 * re-review names a live membership of the same programme with the right to re-review intact.
 */
function decideCreate(command: Command<'CreateApplication'>, state: ApplicationState): ApplicationEvent[] {
  const { round, enterprise } = command;
  if (!round.exists || !round.round) throw notFound('ROUND_NOT_FOUND', 'no such round');
  if (!enterprise.registered || !enterprise.jurisdiction) {
    throw conflict(
      'ENTERPRISE_NOT_REGISTERED',
      'register the enterprise (POST /v1/enterprises) before applying',
    );
  }
  if (enterprise.bannedUntil && enterprise.bannedUntil >= command.today) {
    throw ruleViolated(
      'ENTERPRISE_BANNED',
      `the enterprise may not apply until ${enterprise.bannedUntil} (exit for fraud or serious dishonesty)`,
    );
  }
  const status = roundStatus(round, command.now);
  if (status !== 'open' && status !== 'scheduled') throw conflict('ROUND_CLOSED', `the round is ${status}`);
  if (command.reReviewOf) {
    const granted = command.membership?.granted;
    if (!command.membership || !granted || granted.creditCode !== command.creditCode) {
      throw notFound('MEMBERSHIP_NOT_FOUND', 'no such membership of this enterprise');
    }
    if (granted.programme !== round.round.programme) {
      throw conflict(
        'WRONG_PROGRAMME',
        `the membership is of ${granted.programme}, the round of ${round.round.programme}`,
      );
    }
    assertMayReReview(command.membership);
  }
  if (command.problems.length) {
    throw invalid('VALIDATION_FAILED', 'the application data does not fit the programme', command.problems);
  }
  return createApplication(state, {
    applicationId: command.applicationId,
    roundId: command.roundId,
    programme: round.round.programme,
    policyVersion: round.round.policyVersion,
    creditCode: command.creditCode,
    jurisdiction: enterprise.jurisdiction,
    roundJurisdiction: round.round.jurisdiction,
    data: command.data,
    reReviewOf: command.reReviewOf,
  });
}

/**
 * The city draws a panel at random from the pool, conflicts of interest excluded: at least the
 * policy's size, from a pool at least the policy's multiple of the panel size.
 */
function decideDraw(command: Command<'DrawPanel'>, state: ApplicationState): ApplicationEvent[] {
  const settings = command.settings;
  if (!settings) throw conflict('NO_EXPERT_PANEL', 'this programme has no expert review');
  const size = command.size ?? settings.size;
  if (size < settings.size) {
    throw ruleViolated('PANEL_TOO_SMALL', `the policy requires at least ${settings.size} experts`);
  }
  const { candidates, excluded } = command.pool;
  if (candidates.length < size * settings.poolMultiple) {
    throw ruleViolated(
      'EXPERT_POOL_TOO_SMALL',
      `the pool has ${candidates.length} eligible experts; a panel of ${size} needs at least ${size * settings.poolMultiple}`,
    );
  }
  const rules: PanelRules = {
    size,
    minFinancial: settings.minFinancialExperts ?? 0,
    minTechnicalSharePercent: settings.minTechnicalSharePercent ?? 0,
  };
  return recordPanelDraw(state, {
    seed: command.seed,
    rules,
    candidates,
    excluded,
    experts: drawPanel(candidates, rules, command.seed),
    dueOn: command.due.endsOn,
    provisional: command.due.provisional,
  });
}

/** An overdue or conflicted expert is replaced by one drawn from who is left; nothing when not due. */
function decideReplacement(command: Command<'ReplaceExpert'>, state: ApplicationState): ApplicationEvent[] {
  const due =
    command.reason === 'overdue'
      ? isOverdue(state, command.expertId, command.today)
      : isConflicted(state, command.expertId);
  if (!due && command.requestedBy === 'officer')
    throw conflict(
      'EXPERT_NOT_OVERDUE',
      'the expert holds no seat on this panel whose scoring deadline passed without a score',
    );
  if (!due) return [];
  if (!command.settings || !command.due)
    throw conflict('NO_EXPERT_PANEL', 'this programme has no expert review');
  if (command.pool.length === 0) {
    throw ruleViolated('EXPERT_POOL_EXHAUSTED', 'no expert is left to replace an expert');
  }
  const [replacement] = drawPanel(
    command.pool,
    { size: 1, minFinancial: 0, minTechnicalSharePercent: 0 },
    command.seed,
  );
  return replaceExpert(
    state,
    {
      expertId: command.expertId,
      replacement,
      reason: command.reason,
      seed: command.seed,
      candidates: command.pool,
      dueOn: command.due.endsOn,
      provisional: command.due.provisional,
    },
    command.today,
  );
}

export function createApplication(
  state: ApplicationState,
  command: ApplicationCreatedData,
): ApplicationEvent[] {
  if (state.exists) {
    throw conflict(
      'APPLICATION_EXISTS',
      `the enterprise already has application ${command.applicationId} in this round`,
      { existingId: command.applicationId },
    );
  }
  return [{ type: 'ApplicationCreated', data: command }];
}

/** An enterprise edits its data while the application is a draft or returned to it. */
export function updateApplicationData(
  state: ApplicationState,
  data: Record<string, unknown>,
): ApplicationEvent[] {
  if (state.status !== 'draft' && state.status !== 'returned') {
    throw conflict('NOT_EDITABLE', `an application in status ${state.status} cannot be edited`);
  }
  return [{ type: 'ApplicationDataUpdated', data: { data } }];
}

export interface SubmitContext {
  withinWindow: boolean;
  /** The pinned policy version's materials (only the `required` ones are checked). */
  requiredMaterials?: MaterialRequirement[];
  eligibility: EligibilityRecord;
  /** Today in the engine's calendar (YYYY-MM-DD), for the response deadline of a returned application. */
  today: string;
  /**
   * The first review stage of the policy (`workflow.reviewStages`): `district`, or `city` where
   * the city reviews alone. Absent: district.
   */
  firstStage?: ReviewStage;
}

/**
 * Submitting pins the data, the eligibility explanation and the policy version into the event.
 * A first submission must fall inside the round's window; a resubmission after a return must
 * come by its response deadline instead.
 */
export function submitApplication(state: ApplicationState, context: SubmitContext): ApplicationEvent[] {
  if (!state.exists || (state.status !== 'draft' && state.status !== 'returned')) {
    throw conflict('NOT_SUBMITTABLE', `an application in status ${state.status} cannot be submitted`);
  }
  const returned = state.returned;
  const resubmission = returned !== undefined;
  if (!returned && !context.withinWindow) {
    throw conflict('OUTSIDE_ROUND_WINDOW', 'the round is not open for submissions');
  }
  if (returned && context.today > returned.respondBy) {
    throw conflict('RESPONSE_DEADLINE_PASSED', `the response deadline ${returned.respondBy} has passed`);
  }
  if (!context.eligibility.eligible) {
    throw ruleViolated('NOT_ELIGIBLE', 'a hard eligibility rule is not met', context.eligibility);
  }
  const missing = missingMaterials(state, context.requiredMaterials ?? []);
  if (missing.length) {
    throw ruleViolated(
      'MATERIALS_MISSING',
      `required materials are missing: ${missing.map((m) => `${m.label.zh} (${m.kind})`).join(', ')}`,
      { missing: missing.map((m) => ({ kind: m.kind, label: m.label })) },
    );
  }
  return [
    {
      type: 'ApplicationSubmitted',
      data: {
        data: state.data ?? {},
        eligibility: context.eligibility,
        policyVersion: state.created.policyVersion,
        resubmission,
        ...(returned
          ? { answers: { stage: returned.stage, respondBy: returned.respondBy } }
          : { firstStage: context.firstStage ?? 'district' }),
      },
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Materials

/** The required kinds with no file attached. */
export function missingMaterials(
  state: ApplicationState,
  requirements: MaterialRequirement[],
): MaterialRequirement[] {
  const attached = new Set((state.materials ?? []).map((m) => m.kind));
  return requirements.filter((r) => r.required && !attached.has(r.kind));
}

/** Bytes of the files attached now. */
export function attachedBytes(state: ApplicationState): number {
  return (state.materials ?? []).reduce((sum, m) => sum + m.size, 0);
}

/** Materials change only while the enterprise holds the application: a draft, or returned to it. */
export function assertMaterialsEditable(state: ApplicationState): void {
  if (state.status !== 'draft' && state.status !== 'returned') {
    throw conflict('NOT_EDITABLE', `materials of an application in status ${state.status} cannot be changed`);
  }
}

/** The policy's requirement for `kind`; a kind the policy does not name is refused (422). */
export function materialRequirement(requirements: MaterialRequirement[], kind: string): MaterialRequirement {
  const requirement = requirements.find((r) => r.kind === kind);
  if (!requirement) {
    throw ruleViolated('MATERIAL_KIND_UNKNOWN', `the programme asks for no material of kind "${kind}"`, {
      kinds: requirements.map((r) => ({ kind: r.kind, label: r.label, mediaTypes: r.mediaTypes })),
    });
  }
  return requirement;
}

export interface AttachMaterialContext {
  requirements: MaterialRequirement[];
  maxFileBytes: number;
  maxApplicationBytes: number;
}

export function attachMaterial(
  state: ApplicationState,
  material: MaterialAttachedData,
  context: AttachMaterialContext,
): ApplicationEvent[] {
  assertMaterialsEditable(state);
  const requirement = materialRequirement(context.requirements, material.kind);
  if (!(requirement.mediaTypes as string[]).includes(material.mediaType)) {
    throw unsupported(
      'UNSUPPORTED_MEDIA_TYPE',
      `a ${requirement.label.en.toLowerCase()} must be ${requirement.mediaTypes.join(' or ')}, not ${material.mediaType}`,
      { accepted: requirement.mediaTypes },
    );
  }
  if (material.size > context.maxFileBytes) {
    throw tooLarge('FILE_TOO_LARGE', `a file may have at most ${context.maxFileBytes} bytes`, {
      maxFileBytes: context.maxFileBytes,
    });
  }
  if (attachedBytes(state) + material.size > context.maxApplicationBytes) {
    throw tooLarge(
      'APPLICATION_MATERIALS_TOO_LARGE',
      `an application's files may total at most ${context.maxApplicationBytes} bytes`,
      { maxApplicationBytes: context.maxApplicationBytes, attachedBytes: attachedBytes(state) },
    );
  }
  if ((state.materials ?? []).some((m) => m.materialId === material.materialId)) {
    throw conflict('MATERIAL_EXISTS', `material ${material.materialId} is already attached`);
  }
  return [{ type: 'MaterialAttached', data: material }];
}

export function removeMaterial(state: ApplicationState, materialId: string): ApplicationEvent[] {
  const material = (state.materials ?? []).find((m) => m.materialId === materialId);
  if (!material) throw notFound('MATERIAL_NOT_FOUND', 'no such material');
  assertMaterialsEditable(state);
  return [
    {
      type: 'MaterialRemoved',
      data: {
        materialId,
        kind: material.kind,
        fileName: material.fileName,
        sha256: material.sha256,
      },
    },
  ];
}

export interface ReviewCommand {
  stage: ReviewStage;
  decision: ReviewDecision;
  reason: string;
  /** YYYY-MM-DD; required with `return` (the handler fills in the policy's default). */
  respondBy?: string;
  /** respondBy was computed on a provisional calendar. */
  provisional?: boolean;
  today: string;
}

/** District first review, then city formal review: recommend, return for material, or reject. */
export function reviewApplication(state: ApplicationState, command: ReviewCommand): ApplicationEvent[] {
  if (state.status !== 'submitted' && state.status !== 'recommended') {
    throw conflict('NOT_UNDER_REVIEW', `an application in status ${state.status} is not awaiting review`);
  }
  if (state.awaiting !== command.stage) {
    throw conflict('WRONG_STAGE', `the application awaits the ${state.awaiting} stage, not ${command.stage}`);
  }
  switch (command.decision) {
    case 'recommend':
      return command.stage === 'district'
        ? [{ type: 'ApplicationRecommended', data: { stage: 'district', reason: command.reason } }]
        : [{ type: 'ApplicationAcceptedForExpertReview', data: { stage: 'city', reason: command.reason } }];
    case 'return':
      if (!command.respondBy || command.respondBy <= command.today) {
        throw conflict('RESPOND_BY_INVALID', 'respondBy must be a date after today');
      }
      return [
        {
          type: 'ApplicationReturned',
          data: {
            stage: command.stage,
            reason: command.reason,
            respondBy: command.respondBy,
            provisional: command.provisional ?? false,
          },
        },
      ];
    case 'reject':
      return [{ type: 'ApplicationRejected', data: { stage: command.stage, reason: command.reason } }];
  }
}

/** Withdraws a returned application whose response deadline has passed (used by a saga). */
export function withdrawForMissedDeadline(state: ApplicationState, today: string): ApplicationEvent[] {
  if (state.status !== 'returned' || today <= state.returned.respondBy) return [];
  return [{ type: 'ApplicationWithdrawn', data: { reason: `no response by ${state.returned.respondBy}` } }];
}

// ---------------------------------------------------------------------------------------------
// Expert review

export interface DrawPanelDecision extends Omit<ExpertPanelDrawnData, 'experts'> {
  experts: string[];
}

/** The city draws a panel for an application accepted for expert review, once. */
export function recordPanelDraw(state: ApplicationState, draw: DrawPanelDecision): ApplicationEvent[] {
  if (state.status !== 'in-expert-review') {
    throw conflict(
      'NOT_IN_EXPERT_REVIEW',
      `an application in status ${state.status} is not in expert review`,
    );
  }
  if (state.panel) throw conflict('PANEL_EXISTS', 'a panel was already drawn for this application');
  return [{ type: 'ExpertPanelDrawn', data: draw }];
}

/** The expert's seat on the panel, if they hold one now. */
export function panelSeat(state: ApplicationState, expertId: string): PanelMember | undefined {
  return state.panel?.members.find((m) => m.expertId === expertId);
}

/**
 * An expert on the panel scores once, an integer 0-100. The last score concludes the review:
 * the exact mean against the policy's threshold and comparison.
 */
export function scoreApplication(
  state: ApplicationState,
  command: {
    expertId: string;
    /** Without a scoring sheet: the expert's integer score. */
    score?: number;
    /** With a scoring sheet: each indicator's score; the engine computes the total. */
    indicators?: readonly IndicatorScore[];
    comment: string | null;
    settings: ExpertPanelSettings;
    next: LaterStage | null;
  },
): ApplicationEvent[] {
  const panel = state.panel;
  const seat = panel?.members.find((m) => m.expertId === command.expertId);
  if (!panel || !seat) throw conflict('NOT_ON_PANEL', "you are not on this application's panel");
  if (state.status !== 'in-expert-review') {
    throw conflict(
      'NOT_IN_EXPERT_REVIEW',
      `an application in status ${state.status} is not in expert review`,
    );
  }
  if (seat.score !== undefined) throw conflict('ALREADY_SCORED', 'you have already scored this application');
  const submitted = scoreOf(seat, command);
  const events: ApplicationEvent[] = [{ type: 'ExpertScoreSubmitted', data: submitted }];
  const scores = panel.members.flatMap(({ expertId, score }) => {
    const scored = expertId === command.expertId ? submitted.score : score;
    return scored === undefined ? [] : [{ expertId, score: scored }];
  });
  if (scores.length === panel.members.length) {
    const verdict = judgePanel(
      scores.map((s) => s.score),
      command.settings,
    );
    events.push({
      type: 'ExpertReviewConcluded',
      data: {
        scores,
        mean: verdict.meanText,
        required: verdict.required,
        passed: verdict.passed,
        next: verdict.passed ? command.next : null,
      },
    });
  }
  return events;
}

/** The score as recorded: typed (no sheet), or computed from the policy's scoring sheet. */
function scoreOf(
  seat: PanelMember,
  command: {
    expertId: string;
    score?: number;
    indicators?: readonly IndicatorScore[];
    comment: string | null;
    settings: ExpertPanelSettings;
  },
): ExpertScoreSubmittedData {
  const sheet = command.settings.scoring;
  if (!sheet) {
    if (command.indicators !== undefined) {
      throw invalid('NO_SCORING_SHEET', "this programme's policy has no scoring sheet: give one score", [
        { field: 'indicators', message: 'must be absent; give score' },
      ]);
    }
    const score = command.score;
    if (score === undefined || !Number.isInteger(score) || score < 0 || score > 100) {
      throw invalid('SCORE_INVALID', 'a score is an integer from 0 to 100', [
        { field: 'score', message: 'must be an integer from 0 to 100' },
      ]);
    }
    return { expertId: command.expertId, score, comment: command.comment };
  }
  if (seat.declaration !== 'none') {
    throw conflict(
      seat.declaration === 'conflict' ? 'CONFLICT_DECLARED' : 'DECLARATION_REQUIRED',
      seat.declaration === 'conflict'
        ? 'you declared a conflict of interest: a replacement takes your seat'
        : 'declare first that you have no conflict of interest with this application',
    );
  }
  if (command.score !== undefined) {
    throw invalid('SCORE_COMPUTED', 'the total is computed from the scoring sheet, not typed', [
      { field: 'score', message: 'must be absent; score each indicator' },
    ]);
  }
  if (!command.indicators) {
    throw invalid('SCORE_INVALID', 'score each indicator of the scoring sheet', [
      { field: 'indicators', message: 'must list every indicator of the scoring sheet' },
    ]);
  }
  const { total, exact, indicators } = totalOfSheet(sheet, command.indicators);
  return { expertId: command.expertId, score: total, comment: command.comment, indicators, exact };
}

/**
 * An expert on the panel declares, before scoring, whether they have a conflict of interest
 * with the application (回避声明). Declaring one asks for a replacement: the expert-review saga
 * draws one at once through the same replacement as for an overdue expert.
 */
export function declareConflict(
  state: ApplicationState,
  declaration: { expertId: string; conflict: boolean; reason: string | null },
): ApplicationEvent[] {
  const seat = panelSeat(state, declaration.expertId);
  if (!seat) throw conflict('NOT_ON_PANEL', "you are not on this application's panel");
  if (state.status !== 'in-expert-review') {
    throw conflict(
      'NOT_IN_EXPERT_REVIEW',
      `an application in status ${state.status} is not in expert review`,
    );
  }
  if (seat.score !== undefined) throw conflict('ALREADY_SCORED', 'you have already scored this application');
  if (seat.declaration) throw conflict('ALREADY_DECLARED', 'you have already made your declaration');
  if (declaration.conflict && !declaration.reason?.trim()) {
    throw invalid('REASON_REQUIRED', 'say what the conflict of interest is', [
      { field: 'reason', message: 'is required when declaring a conflict' },
    ]);
  }
  return [{ type: 'ExpertConflictDeclared', data: { ...declaration, reason: declaration.reason ?? null } }];
}

/** Whether the expert declared a conflict and still holds the seat unscored (so they are replaced). */
export function isConflicted(state: ApplicationState, expertId: string): boolean {
  const seat = panelSeat(state, expertId);
  return (
    !!seat &&
    seat.declaration === 'conflict' &&
    seat.score === undefined &&
    state.status === 'in-expert-review'
  );
}

/** Reminds an expert who has not scored yet, once. Nothing when they scored or were replaced. */
export function remindExpert(state: ApplicationState, expertId: string): ApplicationEvent[] {
  const seat = panelSeat(state, expertId);
  if (!seat || seat.score !== undefined || seat.reminded || state.status !== 'in-expert-review') return [];
  return [{ type: 'ExpertReminded', data: { expertId, dueOn: seat.dueOn } }];
}

/** Whether the expert's scoring deadline has passed without a score (so they are replaced). */
export function isOverdue(state: ApplicationState, expertId: string, today: string): boolean {
  const seat = panelSeat(state, expertId);
  return !!seat && seat.score === undefined && state.status === 'in-expert-review' && today > seat.dueOn;
}

export function replaceExpert(
  state: ApplicationState,
  replacement: ExpertReplacedData,
  today: string,
): ApplicationEvent[] {
  const due =
    replacement.reason === 'conflict-of-interest'
      ? isConflicted(state, replacement.expertId)
      : isOverdue(state, replacement.expertId, today);
  if (!due) return [];
  return [{ type: 'ExpertReplaced', data: replacement }];
}

// ---------------------------------------------------------------------------------------------
// Finance bureau (tech-retrofit), publicity, final list, ministry

export function recordFinanceOpinion(
  state: ApplicationState,
  opinion: FinanceOpinionData,
): ApplicationEvent[] {
  if (state.status !== 'passed' || state.awaiting !== 'finance-bureau') {
    throw conflict('NOT_AWAITING_FINANCE', "the application is not waiting for the finance bureau's opinion");
  }
  const events: ApplicationEvent[] = [{ type: 'FinanceOpinionRecorded', data: opinion }];
  if (!opinion.approved) {
    events.push({ type: 'ApplicationRejected', data: { stage: 'finance-bureau', reason: opinion.opinion } });
  }
  return events;
}

/** Whether the application can go on the round's proposed list. */
export function isProposable(state: ApplicationState): boolean {
  return state.status === 'passed' && state.awaiting === undefined;
}

export function publicise(
  state: ApplicationState,
  publicity: { roundId: string; startsOn: string; endsOn: string; provisional?: boolean },
): ApplicationEvent[] {
  if (state.status === 'in-publicity' || !isProposable(state)) return [];
  return [{ type: 'ApplicationPublicised', data: publicity }];
}

/** Rejects at a late stage (an upheld objection, the final list). Nothing when already decided. */
export function rejectLate(
  state: ApplicationState,
  stage: RejectionStage,
  reason: string,
): ApplicationEvent[] {
  if (['rejected', 'withdrawn', 'admitted'].includes(state.status)) return [];
  return [{ type: 'ApplicationRejected', data: { stage, reason } }];
}

export function admit(state: ApplicationState, admission: ApplicationAdmittedData): ApplicationEvent[] {
  if (state.status === 'admitted') return [];
  if (state.status !== 'in-publicity' && !(state.status === 'recommended' && state.awaiting === 'ministry')) {
    throw conflict('NOT_ADMISSIBLE', `an application in status ${state.status} cannot be admitted`);
  }
  return [{ type: 'ApplicationAdmitted', data: { ...admission, financing: state.financing ?? null } }];
}

export function forwardToMinistry(state: ApplicationState, roundId: string): ApplicationEvent[] {
  if (state.status !== 'in-publicity') return [];
  return [{ type: 'ApplicationForwardedToMinistry', data: { roundId } }];
}

/** The local bureau records the ministry's decision on a little-giant application. */
export function recordNationalDecision(
  state: ApplicationState,
  decision: { decision: 'recognized' | 'rejected'; documentNumber: string },
  admission: ApplicationAdmittedData,
): ApplicationEvent[] {
  if (state.status !== 'recommended' || state.awaiting !== 'ministry') {
    throw conflict('NOT_AWAITING_MINISTRY', "the application is not waiting for the ministry's decision");
  }
  const events: ApplicationEvent[] = [{ type: 'NationalDecisionRecorded', data: decision }];
  if (decision.decision === 'recognized') {
    events.push({ type: 'ApplicationAdmitted', data: { ...admission, financing: null } });
  } else {
    events.push({
      type: 'ApplicationRejected',
      data: { stage: 'ministry', reason: `not recognised by the ministry (${decision.documentNumber})` },
    });
  }
  return events;
}
