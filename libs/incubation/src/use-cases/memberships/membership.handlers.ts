import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { addYearsClamped, chinaDate, Clock, type IsoDate, jurisdictionCovers } from '@engine/platform';
import { ApplicationAggregate } from '../../aggregates/application.aggregate';
import { EnterpriseAggregate } from '../../aggregates/enterprise.aggregate';
import { MembershipAggregate } from '../../aggregates/membership.aggregate';
import { banEnterprise, recordMembership } from '../../domain/enterprise/enterprise.decider';
import {
  exitMembership,
  expireMembership,
  fileAnnualReport,
  grantMembership,
  markAnnualReportMissed,
  remindAnnualReport,
  renewMembership,
} from '../../domain/membership/membership.decider';
import { isBanningExit } from '../../domain/membership/membership.events';
import { forbidden, notFound } from '../../domain/shared/domain-error';
import { AggregateRepository } from '../../infrastructure/aggregate-repository';
import { PolicyLookup } from '../policy-lookup';
import {
  BanEnterpriseCommand,
  ExitMembershipCommand,
  FileAnnualReportCommand,
  GrantMembershipCommand,
  MembershipTimerCommand,
  PromoteMembershipsCommand,
} from './membership.commands';

@CommandHandler(GrantMembershipCommand)
export class GrantMembershipHandler implements ICommandHandler<GrantMembershipCommand> {
  constructor(
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
  ) {}

  async execute({ applicationId, context }: GrantMembershipCommand): Promise<void> {
    const application = await this.repository.load(() => new ApplicationAggregate(applicationId));
    const admission = application.state.admission;
    if (!admission) return;
    const created = application.state.created!;
    if (admission.renews) {
      await this.repository.execute(
        () => new MembershipAggregate(admission.renews!),
        context,
        (membership) =>
          membership.decide((state) => renewMembership(state, applicationId, admission.validUntil)),
      );
      return;
    }
    const policy = this.policies.get(created.policyVersion)!;
    await this.repository.execute(
      () => new MembershipAggregate(admission.membershipId),
      context,
      (membership) =>
        membership.decide((state) =>
          grantMembership(state, {
            membershipId: admission.membershipId,
            applicationId,
            roundId: created.roundId,
            creditCode: created.creditCode,
            programme: created.programme,
            policyVersion: created.policyVersion,
            jurisdiction: created.jurisdiction,
            validFrom: admission.validFrom,
            validUntil: admission.validUntil,
            annualReportDue: policy.workflow.annualReportDue,
            financing: admission.financing,
          }),
        ),
    );
    await this.repository.execute(
      () => new EnterpriseAggregate(created.creditCode),
      { ...context, idempotencyKey: `${context.idempotencyKey}/enterprise` },
      (enterprise) =>
        enterprise.decide((state) =>
          recordMembership(state, {
            membershipId: admission.membershipId,
            programme: created.programme,
            validFrom: admission.validFrom,
          }),
        ),
    );
  }
}

@CommandHandler(FileAnnualReportCommand)
export class FileAnnualReportHandler implements ICommandHandler<
  FileAnnualReportCommand,
  MembershipAggregate
> {
  constructor(
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  execute({ membershipId, report, principal, context }: FileAnnualReportCommand) {
    return this.repository.execute(
      () => new MembershipAggregate(membershipId),
      context,
      (membership) => {
        const granted = membership.state.granted;
        if (!granted || principal.role !== 'enterprise' || principal.org !== granted.creditCode) {
          throw notFound('MEMBERSHIP_NOT_FOUND', 'no such membership');
        }
        membership.decide((state) =>
          fileAnnualReport(state, { ...report, filedOn: chinaDate(this.clock.now()) }),
        );
      },
    );
  }
}

@CommandHandler(MembershipTimerCommand)
export class MembershipTimerHandler implements ICommandHandler<MembershipTimerCommand> {
  constructor(
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ membershipId, what, year, dueOn, context }: MembershipTimerCommand): Promise<void> {
    const today = chinaDate(this.clock.now());
    await this.repository.execute(
      () => new MembershipAggregate(membershipId),
      context,
      (membership) =>
        membership.decide((state) => {
          switch (what) {
            case 'remind-annual-report':
              return remindAnnualReport(state, year!, dueOn!);
            case 'annual-report-due':
              return markAnnualReportMissed(state, year!, dueOn!, today);
            case 'expire':
              return expireMembership(state, today);
          }
        }),
    );
  }
}

@CommandHandler(ExitMembershipCommand)
export class ExitMembershipHandler implements ICommandHandler<ExitMembershipCommand, MembershipAggregate> {
  constructor(
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  execute({ membershipId, exit, principal, context }: ExitMembershipCommand) {
    return this.repository.execute(
      () => new MembershipAggregate(membershipId),
      context,
      (membership) => {
        const granted = membership.state.granted;
        if (!granted) throw notFound('MEMBERSHIP_NOT_FOUND', 'no such membership');
        if (principal) {
          if (principal.role !== 'officer') throw forbidden('FORBIDDEN', 'only officers end memberships');
          if (!jurisdictionCovers(principal.jurisdiction!, granted.jurisdiction)) {
            throw notFound('MEMBERSHIP_NOT_FOUND', 'no such membership');
          }
        } else if (membership.state.status === 'exited') {
          return; // the promotion saga asking again
        }
        const today = chinaDate(this.clock.now());
        const banYears = this.policies.get(granted.policyVersion)!.workflow.banYearsAfterFraud;
        const banUntil =
          isBanningExit(exit.reason) && banYears > 0 ? addYearsClamped(today as IsoDate, banYears) : null;
        membership.decide((state) => exitMembership(state, { ...exit, on: today, banUntil }));
      },
    );
  }
}

/** Admission as a gazelle ends an eaglet membership with reason `promoted` (policy `promotesFrom`). */
@CommandHandler(PromoteMembershipsCommand)
export class PromoteMembershipsHandler implements ICommandHandler<PromoteMembershipsCommand> {
  constructor(
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(CommandBus) private readonly commands: CommandBus,
  ) {}

  async execute({ creditCode, programme, membershipId, context }: PromoteMembershipsCommand): Promise<void> {
    const membership = await this.repository.load(() => new MembershipAggregate(membershipId));
    const promotesFrom =
      this.policies.get(membership.state.granted!.policyVersion)!.workflow.promotesFrom ?? [];
    if (!promotesFrom.length) return;
    const enterprise = await this.repository.load(() => new EnterpriseAggregate(creditCode));
    for (const lower of enterprise.state.memberships ?? []) {
      if (lower.membershipId === membershipId || !promotesFrom.includes(lower.programme as never)) continue;
      const current = await this.repository.load(() => new MembershipAggregate(lower.membershipId));
      if (current.state.status !== 'active') continue;
      await this.commands.execute(
        new ExitMembershipCommand(
          lower.membershipId,
          { reason: 'promoted', note: `admitted to ${programme} (${membershipId})` },
          undefined,
          { ...context, idempotencyKey: `${context.idempotencyKey}/${lower.membershipId}` },
        ),
      );
    }
  }
}

@CommandHandler(BanEnterpriseCommand)
export class BanEnterpriseHandler implements ICommandHandler<BanEnterpriseCommand> {
  constructor(@Inject(AggregateRepository) private readonly repository: AggregateRepository) {}

  async execute({ membershipId, context }: BanEnterpriseCommand): Promise<void> {
    const membership = await this.repository.load(() => new MembershipAggregate(membershipId));
    const granted = membership.state.granted;
    const exit = membership.state.exit;
    if (!granted || !exit || !isBanningExit(exit.reason) || !exit.banUntil) return;
    const banUntil = exit.banUntil;
    await this.repository.execute(
      () => new EnterpriseAggregate(granted.creditCode),
      context,
      (enterprise) =>
        enterprise.decide((state) =>
          banEnterprise(state, {
            until: banUntil,
            reason: `${exit.reason} (${granted.programme})`,
            membershipId,
          }),
        ),
    );
  }
}

export const MEMBERSHIP_HANDLERS = [
  GrantMembershipHandler,
  FileAnnualReportHandler,
  MembershipTimerHandler,
  ExitMembershipHandler,
  PromoteMembershipsHandler,
  BanEnterpriseHandler,
];
