import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler, type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { v5 as uuidv5 } from 'uuid';
import {
  addDays,
  workingDayPeriod,
  addYearsClamped,
  chinaDate,
  Clock,
  type IsoDate,
  isIsoDate,
  isResidentIdNumber,
  isValidCreditCode,
  jurisdictionCovers,
  PersonalDataVault,
  type Principal,
} from '@engine/platform';
import {
  applicationDecider,
  type ApplicationState,
  isProposable,
} from '../../domain/application/application.decider';
import { type ApplicationAdmittedData, applicationStream } from '../../domain/application/application.events';
import { roundDecider, type RoundState } from '../../domain/round/round.decider';
import { type ListEntry, type ObjectionRaisedData, roundStream } from '../../domain/round/round.events';
import { conflict, forbidden, invalid, notFound } from '../../domain/shared/domain-error';
import { type Aggregate, Aggregates } from '../../infrastructure/handle-command';
import { type PolicySummary, PolicyLookup } from '../policy-lookup';
import { assertCanSeeApplication, assertCityOfficer } from '../reach';
import { RoundRoster } from '../round-roster';
import { DocumentNumberRegistry, noticeFor } from '../documents/document-number-registry';
import {
  AdmitApplicationCommand,
  FinalizeRoundCommand,
  ForwardToMinistryCommand,
  GetObjectionQuery,
  PubliciseApplicationCommand,
  RaiseObjectionCommand,
  RecordFinanceOpinionCommand,
  RecordNationalDecisionCommand,
  RejectApplicationCommand,
  ResolveObjectionCommand,
  StartPublicityCommand,
} from './publicity.commands';

const MEMBERSHIP_NAMESPACE = '8c1f4a52-3e7b-4d09-b6a1-5f2e9c7d0a34';

/** The membership an admitted application starts: one per application, its id derived from it. */
export function membershipIdFor(applicationId: string): string {
  return uuidv5(applicationId, MEMBERSHIP_NAMESPACE);
}

/** Validity from the policy: `validityYears` from the admission day, the day before the anniversary the last. */
export function validUntil(from: string, years: number): string {
  return addDays(addYearsClamped(from as IsoDate, years), -1);
}

function assertOfficerOver(principal: Principal | undefined, jurisdiction: string, what: string): void {
  if (!principal) return; // a saga acting for the engine
  if (principal.role !== 'officer') throw forbidden('FORBIDDEN', `only officers ${what}`);
  if (!jurisdictionCovers(principal.jurisdiction!, jurisdiction)) {
    throw notFound('ROUND_NOT_FOUND', 'no such round');
  }
}

/** Objection ids name their round: `<roundId>.<n>`. */
export function objectionIdFor(roundId: string, n: number): string {
  return `${roundId}.${n}`;
}
export function roundOfObjection(objectionId: string): string | undefined {
  const match = /^([0-9a-f-]{36})\.\d{1,6}$/.exec(objectionId);
  return match?.[1];
}

/**
 * Publicity (公示): the round's passed applications are published for the policy's number of
 * working days on the official calendar (start day not counted, so a period straddling a
 * holiday ends later). The list is recorded in the round's event: what was published is
 * exactly what an auditor reads back.
 */
@CommandHandler(StartPublicityCommand)
export class StartPublicityHandler implements ICommandHandler<StartPublicityCommand, Aggregate<RoundState>> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(RoundRoster) private readonly roster: RoundRoster,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(DocumentNumberRegistry) private readonly numbers: DocumentNumberRegistry,
  ) {}

  async execute({
    roundId,
    startsOn,
    principal,
    context,
    notice,
    confirmProvisional,
  }: StartPublicityCommand): Promise<Aggregate<RoundState>> {
    let reserve: (() => Promise<void>) | undefined;
    return this.aggregates.of(roundDecider).handle(
      roundStream(roundId),
      context,
      async ({ state }) => {
        const round = state.round;
        if (!round) throw notFound('ROUND_NOT_FOUND', 'no such round');
        assertOfficerOver(principal, round.jurisdiction, 'publicise a round');
        const today = chinaDate(this.clock.now());
        const start = startsOn ?? today;
        if (!isIsoDate(start) || start < today) {
          throw invalid('STARTS_ON_INVALID', 'startsOn must be a date, today or later', [
            { field: 'startsOn', message: 'must be YYYY-MM-DD, today or later' },
          ]);
        }
        const policy = this.policies.get(round.policyVersion)!;
        const document = notice && noticeFor(notice, policy, today);
        const period = workingDayPeriod(start, policy.publicityWorkingDays);
        if (period.provisional && !confirmProvisional) {
          throw conflict(
            'CALENDAR_PROVISIONAL',
            `the publicity would end on ${period.endsOn}, counted without the official holiday arrangement of ` +
              `${period.endsOn.slice(0, 4)}: install calendar/${period.endsOn.slice(0, 4)}.yaml, or confirm the provisional end (confirmProvisional: true)`,
          );
        }
        reserve =
          document &&
          (() => this.numbers.reserve(document.number, { purpose: 'publicity', roundId }, context));
        return {
          type: 'StartPublicity',
          now: this.clock.now(),
          publicity: {
            startsOn: start,
            endsOn: period.endsOn,
            workingDays: policy.publicityWorkingDays,
            provisional: period.provisional,
            ...(period.provisional && principal ? { confirmedBy: principal.sub } : {}),
            proposed: await this.proposedList(roundId),
            ...(document ? { documentNumber: document.number.text, issuer: document.issuer } : {}),
          },
        };
      },
      // Only once the round accepted the command: a refused command reserves nothing.
      { beforeAppend: async () => reserve?.() },
    );
  }

  private async proposedList(roundId: string): Promise<ListEntry[]> {
    const ids = await this.roster.applicationIds(roundId, ['passed']);
    const entries: ListEntry[] = [];
    for (const id of ids) {
      const { state } = await this.aggregates.application(id);
      const created = state.created;
      if (!created || !isProposable(state)) continue;
      const enterprise = await this.aggregates.enterprise(created.creditCode);
      entries.push({
        applicationId: id,
        creditCode: created.creditCode,
        name: enterprise.state.name ?? '',
        score: state.result?.mean ?? null,
      });
    }
    return entries.sort((a, b) => (a.creditCode < b.creditCode ? -1 : 1));
  }
}

/**
 * An objection: real name, a valid resident ID number and a phone, grounds and evidence;
 * anonymous or late objections are refused. The objector's personal data is sealed under
 * their own key before it is written (docs/privacy.md).
 */
@CommandHandler(RaiseObjectionCommand)
export class RaiseObjectionHandler implements ICommandHandler<RaiseObjectionCommand, string> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ applicationId, objection, context }: RaiseObjectionCommand): Promise<string> {
    const created = (await this.aggregates.application(applicationId)).state.created;
    if (!created) throw conflict('OUTSIDE_PUBLICITY', 'the application is not in publicity');
    const { objector } = objection;
    let sealed;
    let evidence = objection.evidence;
    if (objector.kind === 'organization') {
      if (!isValidCreditCode(objector.creditCode)) {
        throw invalid('OBJECTOR_ANONYMOUS', "an organisation's objection needs its valid credit code", [
          { field: 'organization.creditCode', message: 'must be a valid unified social credit code' },
        ]);
      }
      // The sealed objection is its signature: its image is evidence like any other.
      if (!evidence.includes(objector.sealImage)) evidence = [...evidence, objector.sealImage];
      sealed = await this.vault.seal(this.vault.subjectFor('phone', objector.contact.phone), { ...objector });
    } else {
      if (!isResidentIdNumber(objector.idNumber, this.clock.now())) {
        throw invalid(
          'OBJECTOR_ANONYMOUS',
          "an objection needs the objector's real name and a valid ID number",
          [{ field: 'objector.idNumber', message: 'must be a valid 18-character resident ID number' }],
        );
      }
      sealed = await this.vault.seal(this.vault.subjectFor('id-number', objector.idNumber), {
        ...objector,
      });
    }
    const roundId = created.roundId;
    const raised = await this.aggregates
      .of(roundDecider)
      .handle(roundStream(roundId), context, async ({ state }) => {
        // After the idempotency check: a repeat answers the first objection's id even after publicity.
        const application = await this.aggregates.application(applicationId);
        if (application.state.status !== 'in-publicity') {
          throw conflict('OUTSIDE_PUBLICITY', 'the application is not in publicity');
        }
        return {
          type: 'RaiseObjection',
          objection: {
            objectionId: objectionIdFor(roundId, (state.objections?.length ?? 0) + 1),
            applicationId,
            objector: sealed,
            ...(objector.kind === 'organization'
              ? {
                  objectorKind: 'organization' as const,
                  organization: { name: objector.name, creditCode: objector.creditCode },
                }
              : {}),
            grounds: objection.grounds,
            evidence,
            raisedOn: chinaDate(this.clock.now()),
          },
        };
      });
    // The id from the event, new or written by the first request with this Idempotency-Key.
    const event = raised.events.find((e) => e.type === 'ObjectionRaised');
    return event?.type === 'ObjectionRaised' ? event.data.objectionId : '';
  }
}

@CommandHandler(ResolveObjectionCommand)
export class ResolveObjectionHandler implements ICommandHandler<
  ResolveObjectionCommand,
  Aggregate<RoundState>
> {
  constructor(@Inject(Aggregates) private readonly aggregates: Aggregates) {}

  async execute({ objectionId, resolution, principal, context }: ResolveObjectionCommand) {
    const roundId = roundOfObjection(objectionId);
    if (!roundId) throw notFound('OBJECTION_NOT_FOUND', 'no such objection');
    return this.aggregates.of(roundDecider).handle(roundStream(roundId), context, ({ state }) => {
      if (!state.round) throw notFound('OBJECTION_NOT_FOUND', 'no such objection');
      if (principal.role !== 'officer') throw forbidden('FORBIDDEN', 'only officers resolve objections');
      if (!jurisdictionCovers(principal.jurisdiction!, state.round.jurisdiction)) {
        throw notFound('OBJECTION_NOT_FOUND', 'no such objection');
      }
      return { type: 'ResolveObjection', objectionId, resolution };
    });
  }
}

/** How a round ends: its own list, or a recommendation to the ministry (little giant). */
function outcomeOf(policy: PolicySummary): 'admit' | 'forward' {
  return policy.workflow.reviewStages.includes('ministry') ? 'forward' : 'admit';
}

@CommandHandler(FinalizeRoundCommand)
export class FinalizeRoundHandler implements ICommandHandler<FinalizeRoundCommand, Aggregate<RoundState>> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(DocumentNumberRegistry) private readonly numbers: DocumentNumberRegistry,
  ) {}

  async execute({ roundId, principal, context, notice }: FinalizeRoundCommand) {
    let reserve: (() => Promise<void>) | undefined;
    return this.aggregates.of(roundDecider).handle(
      roundStream(roundId),
      context,
      ({ state }) => {
        if (!state.round) throw notFound('ROUND_NOT_FOUND', 'no such round');
        assertOfficerOver(principal, state.round.jurisdiction, 'finalize a round');
        if (!principal && state.final) return undefined; // the saga asking again
        const policy = this.policies.get(state.round.policyVersion)!;
        const today = chinaDate(this.clock.now());
        const document = notice && noticeFor(notice, policy, today);
        reserve =
          document &&
          (() => this.numbers.reserve(document.number, { purpose: 'admission', roundId }, context));
        return {
          type: 'FinalizeRound',
          today,
          outcome: outcomeOf(policy),
          ...(document ? { notice: { documentNumber: document.number.text, issuer: document.issuer } } : {}),
          ...(policy.workflow.quotaTieBreak ? { tieBreak: policy.workflow.quotaTieBreak } : {}),
        };
      },
      { beforeAppend: async () => reserve?.() },
    );
  }
}

@CommandHandler(PubliciseApplicationCommand)
export class PubliciseApplicationHandler implements ICommandHandler<PubliciseApplicationCommand> {
  constructor(@Inject(Aggregates) private readonly aggregates: Aggregates) {}
  async execute({ applicationId, publicity, context }: PubliciseApplicationCommand): Promise<void> {
    await this.aggregates
      .of(applicationDecider)
      .handle(applicationStream(applicationId), context, () => ({ type: 'Publicise', publicity }));
  }
}

@CommandHandler(RejectApplicationCommand)
export class RejectApplicationHandler implements ICommandHandler<RejectApplicationCommand> {
  constructor(@Inject(Aggregates) private readonly aggregates: Aggregates) {}
  async execute({ applicationId, stage, reason, context }: RejectApplicationCommand): Promise<void> {
    await this.aggregates
      .of(applicationDecider)
      .handle(applicationStream(applicationId), context, () => ({ type: 'RejectLate', stage, reason }));
  }
}

/** The admission of an application: a new membership, or the renewal of the one it re-reviews. */
async function admissionFor(
  aggregates: Aggregates,
  policy: PolicySummary,
  state: ApplicationState,
  admittedOn: string,
): Promise<ApplicationAdmittedData> {
  const renews = state.created!.reReviewOf ?? null;
  if (renews) {
    const membership = await aggregates.membership(renews);
    const extension = policy.workflow.reReviewExtensionYears ?? policy.workflow.validityYears;
    const from = membership.state.validUntil
      ? addDays(membership.state.validUntil as IsoDate, 1)
      : admittedOn;
    return {
      membershipId: renews,
      validFrom: from,
      validUntil: validUntil(from, extension),
      renews,
      financing: null,
    };
  }
  return {
    membershipId: membershipIdFor(state.created!.applicationId),
    validFrom: admittedOn,
    validUntil: validUntil(admittedOn, policy.workflow.validityYears),
    renews: null,
    financing: state.financing ?? null,
  };
}

@CommandHandler(AdmitApplicationCommand)
export class AdmitApplicationHandler implements ICommandHandler<AdmitApplicationCommand> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
  ) {}
  async execute({ applicationId, admittedOn, context }: AdmitApplicationCommand): Promise<void> {
    await this.aggregates
      .of(applicationDecider)
      .handle(applicationStream(applicationId), context, async ({ state }) => {
        if (state.status === 'admitted' || !state.created) return undefined;
        const policy = this.policies.get(state.created.policyVersion)!;
        return { type: 'Admit', admission: await admissionFor(this.aggregates, policy, state, admittedOn) };
      });
  }
}

@CommandHandler(ForwardToMinistryCommand)
export class ForwardToMinistryHandler implements ICommandHandler<ForwardToMinistryCommand> {
  constructor(@Inject(Aggregates) private readonly aggregates: Aggregates) {}
  async execute({ applicationId, roundId, context }: ForwardToMinistryCommand): Promise<void> {
    await this.aggregates
      .of(applicationDecider)
      .handle(applicationStream(applicationId), context, () => ({ type: 'ForwardToMinistry', roundId }));
  }
}

/**
 * The finance bureau's opinion on a tech-retrofit project, recorded by the city. An approval
 * grants at most the cap of the policy (domain/policies/financing.ts: the same computation as
 * the eligibility rule `financing-within-cap`) and at most what the enterprise asked for, for at
 * most the policy's term, at the rate the policy sets on the day of the opinion (a promotional
 * window wins over the default rate); the bank's rate, when stated, gives the yearly interest
 * subsidy (贴息) the city budget owes.
 */
@CommandHandler(RecordFinanceOpinionCommand)
export class RecordFinanceOpinionHandler implements ICommandHandler<
  RecordFinanceOpinionCommand,
  Aggregate<ApplicationState>
> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  execute({ applicationId, opinion, principal, context }: RecordFinanceOpinionCommand) {
    return this.aggregates
      .of(applicationDecider)
      .handle(applicationStream(applicationId), context, ({ state }) => {
        const created = assertCanSeeApplication(principal, state);
        assertCityOfficer(principal, state, 'the finance opinion');
        return {
          type: 'RecordFinanceOpinion',
          approved: opinion.approved,
          opinion: opinion.opinion,
          ...(opinion.financing ? { asked: opinion.financing } : {}),
          terms: this.policies.get(created.policyVersion)!.financing,
          today: chinaDate(this.clock.now()),
        };
      });
  }
}

/** The local bureau records the ministry's decision on a little giant recommended to it. */
@CommandHandler(RecordNationalDecisionCommand)
export class RecordNationalDecisionHandler implements ICommandHandler<
  RecordNationalDecisionCommand,
  Aggregate<ApplicationState>
> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  execute({ applicationId, decision, principal, context }: RecordNationalDecisionCommand) {
    return this.aggregates
      .of(applicationDecider)
      .handle(applicationStream(applicationId), context, async ({ state }) => {
        const created = assertCanSeeApplication(principal, state);
        assertCityOfficer(principal, state, "the ministry's decision");
        const policy = this.policies.get(created.policyVersion)!;
        const admission = await admissionFor(this.aggregates, policy, state, chinaDate(this.clock.now()));
        return { type: 'RecordNationalDecision', decision, admission };
      });
  }
}

export interface ObjectionView {
  round: RoundState;
  raised: ObjectionRaisedData;
  resolution?: { upheld: boolean; reason: string };
}

/** The objection with its round (for reach) and the sealed objector; undefined when unknown. */
@QueryHandler(GetObjectionQuery)
export class GetObjectionHandler implements IQueryHandler<GetObjectionQuery, ObjectionView | undefined> {
  constructor(@Inject(Aggregates) private readonly aggregates: Aggregates) {}

  async execute({ objectionId }: GetObjectionQuery): Promise<ObjectionView | undefined> {
    const roundId = roundOfObjection(objectionId);
    if (!roundId) return undefined;
    const round = await this.aggregates.round(roundId);
    const objection = round.state.objections?.find((o) => o.objectionId === objectionId);
    if (!objection) return undefined;
    const events = await this.aggregates.history(round.stream);
    const raised = events.find(
      (e) => e.type === 'ObjectionRaised' && (e.data as ObjectionRaisedData).objectionId === objectionId,
    )!.data as ObjectionRaisedData;
    return {
      round: round.state,
      raised,
      ...(objection.resolution ? { resolution: objection.resolution } : {}),
    };
  }
}

export const PUBLICITY_HANDLERS = [
  GetObjectionHandler,
  StartPublicityHandler,
  RaiseObjectionHandler,
  ResolveObjectionHandler,
  FinalizeRoundHandler,
  PubliciseApplicationHandler,
  RejectApplicationHandler,
  AdmitApplicationHandler,
  ForwardToMinistryHandler,
  RecordFinanceOpinionHandler,
  RecordNationalDecisionHandler,
];
