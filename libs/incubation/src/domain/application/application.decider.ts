import { conflict, ruleViolated } from '../shared/domain-error';
import type { Decider } from '../shared/domain-event';
import type {
  ApplicationCreatedData,
  ApplicationEvent,
  EligibilityRecord,
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

export interface ApplicationState {
  exists: boolean;
  status: ApplicationStatus;
  created?: ApplicationCreatedData;
  data?: Record<string, unknown>;
  eligibility?: EligibilityRecord;
  /** The review stage the application waits for (when submitted or recommended). */
  awaiting?: ReviewStage;
  /** Set while returned: the stage that returned it and the response deadline (YYYY-MM-DD). */
  returned?: { stage: ReviewStage; respondBy: string; reason: string };
  rejection?: { stage: ReviewStage | 'system'; reason: string };
}

export const applicationDecider: Decider<ApplicationState, ApplicationEvent> = {
  initialState: () => ({ exists: false, status: 'draft' }),
  evolve(state, event) {
    switch (event.type) {
      case 'ApplicationCreated':
        return { exists: true, status: 'draft', created: event.data, data: event.data.data };
      case 'ApplicationDataUpdated':
        return { ...state, data: event.data.data };
      case 'ApplicationSubmitted':
        return {
          ...state,
          status: 'submitted',
          data: event.data.data,
          eligibility: event.data.eligibility,
          // A resubmission goes back to the stage that asked for more material.
          awaiting: state.returned?.stage ?? 'district',
          returned: undefined,
        };
      case 'ApplicationRecommended':
        return { ...state, status: 'recommended', awaiting: 'city' };
      case 'ApplicationAcceptedForExpertReview':
        return { ...state, status: 'in-expert-review', awaiting: undefined };
      case 'ApplicationReturned':
        return { ...state, status: 'returned', awaiting: undefined, returned: { ...event.data } };
      case 'ApplicationRejected':
        return { ...state, status: 'rejected', awaiting: undefined, rejection: { ...event.data } };
      case 'ApplicationWithdrawn':
        return { ...state, status: 'withdrawn', awaiting: undefined, returned: undefined };
    }
  },
};

export function createApplication(
  state: ApplicationState,
  command: ApplicationCreatedData,
): ApplicationEvent[] {
  if (state.exists)
    throw conflict('APPLICATION_EXISTS', `application ${command.applicationId} already exists`);
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
  eligibility: EligibilityRecord;
  /** Today in the engine's calendar (YYYY-MM-DD), for the response deadline of a returned application. */
  today: string;
}

/**
 * Submitting pins the data, the eligibility explanation and the policy version into the event.
 * A first submission must fall inside the round's window; a resubmission after a return must
 * come by its response deadline instead.
 */
export function submitApplication(state: ApplicationState, context: SubmitContext): ApplicationEvent[] {
  if (state.status !== 'draft' && state.status !== 'returned') {
    throw conflict('NOT_SUBMITTABLE', `an application in status ${state.status} cannot be submitted`);
  }
  const resubmission = state.status === 'returned';
  if (!resubmission && !context.withinWindow) {
    throw conflict('OUTSIDE_ROUND_WINDOW', 'the round is not open for submissions');
  }
  if (resubmission && context.today > state.returned!.respondBy) {
    throw conflict(
      'RESPONSE_DEADLINE_PASSED',
      `the response deadline ${state.returned!.respondBy} has passed`,
    );
  }
  if (!context.eligibility.eligible) {
    throw ruleViolated('NOT_ELIGIBLE', 'a hard eligibility rule is not met', context.eligibility);
  }
  return [
    {
      type: 'ApplicationSubmitted',
      data: {
        data: state.data ?? {},
        eligibility: context.eligibility,
        policyVersion: state.created!.policyVersion,
        resubmission,
        ...(resubmission
          ? { answers: { stage: state.returned!.stage, respondBy: state.returned!.respondBy } }
          : {}),
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
          data: { stage: command.stage, reason: command.reason, respondBy: command.respondBy },
        },
      ];
    case 'reject':
      return [{ type: 'ApplicationRejected', data: { stage: command.stage, reason: command.reason } }];
  }
}

/** Withdraws a returned application whose response deadline has passed (used by a saga). */
export function withdrawForMissedDeadline(state: ApplicationState, today: string): ApplicationEvent[] {
  if (state.status !== 'returned') return [];
  if (today <= state.returned!.respondBy) return [];
  return [{ type: 'ApplicationWithdrawn', data: { reason: `no response by ${state.returned!.respondBy}` } }];
}
