import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { addYearsClamped, chinaDate, Clock, type IsoDate, jurisdictionCovers } from '@engine/platform';
import { isBanningExit, membershipStream } from '../../domain/membership/membership.events';
import { forbidden, notFound } from '../../domain/shared/domain-error';
import { Aggregates, type Aggregate } from '../../infrastructure/handle-command';
import { PolicyLookup } from '../policy-lookup';
import {
  BanEnterpriseCommand,
  ExitMembershipCommand,
  FileAnnualReportCommand,
  GrantMembershipCommand,
  MembershipTimerCommand,
  PromoteMembershipsCommand,
} from './membership.commands';
import { enterpriseDecider } from '../../domain/enterprise/enterprise.decider';
import { enterpriseStream } from '../../domain/enterprise/enterprise.events';
import { membershipDecider, type MembershipState } from '../../domain/membership/membership.decider';

@CommandHandler(GrantMembershipCommand)
export class GrantMembershipHandler implements ICommandHandler<GrantMembershipCommand> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
  ) {}

  async execute({ applicationId, context }: GrantMembershipCommand): Promise<void> {
    const application = await this.aggregates.application(applicationId);
    const admission = application.state.admission;
    if (!admission) return;
    const created = application.state.created!;
    if (admission.renews) {
      await this.aggregates.of(membershipDecider).handle(membershipStream(admission.renews), context, () => ({
        type: 'RenewMembership',
        applicationId,
        validUntil: admission.validUntil,
      }));
      return;
    }
    const policy = this.policies.get(created.policyVersion)!;
    await this.aggregates
      .of(membershipDecider)
      .handle(membershipStream(admission.membershipId), context, () => ({
        type: 'GrantMembership',
        data: {
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
        },
      }));
    await this.aggregates
      .of(enterpriseDecider)
      .handle(
        enterpriseStream(created.creditCode),
        { ...context, idempotencyKey: `${context.idempotencyKey}/enterprise` },
        () => ({
          type: 'RecordMembership',
          membership: {
            membershipId: admission.membershipId,
            programme: created.programme,
            validFrom: admission.validFrom,
          },
        }),
      );
  }
}

@CommandHandler(FileAnnualReportCommand)
export class FileAnnualReportHandler implements ICommandHandler<
  FileAnnualReportCommand,
  Aggregate<MembershipState>
> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  execute({ membershipId, report, principal, context }: FileAnnualReportCommand) {
    return this.aggregates
      .of(membershipDecider)
      .handle(membershipStream(membershipId), context, ({ state }) => {
        const granted = state.granted;
        if (!granted || principal.role !== 'enterprise' || principal.org !== granted.creditCode) {
          throw notFound('MEMBERSHIP_NOT_FOUND', 'no such membership');
        }
        return { type: 'FileAnnualReport', report: { ...report, filedOn: chinaDate(this.clock.now()) } };
      });
  }
}

@CommandHandler(MembershipTimerCommand)
export class MembershipTimerHandler implements ICommandHandler<MembershipTimerCommand> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ membershipId, what, year, dueOn, context }: MembershipTimerCommand): Promise<void> {
    const today = chinaDate(this.clock.now());
    await this.aggregates.of(membershipDecider).handle(membershipStream(membershipId), context, () => {
      switch (what) {
        case 'remind-annual-report':
          return { type: 'RemindAnnualReport', year: year!, dueOn: dueOn! };
        case 'annual-report-due':
          return { type: 'MarkAnnualReportMissed', year: year!, dueOn: dueOn!, today };
        case 'expire':
          return { type: 'ExpireMembership', today };
      }
    });
  }
}

@CommandHandler(ExitMembershipCommand)
export class ExitMembershipHandler implements ICommandHandler<
  ExitMembershipCommand,
  Aggregate<MembershipState>
> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  execute({ membershipId, exit, principal, context }: ExitMembershipCommand) {
    return this.aggregates
      .of(membershipDecider)
      .handle(membershipStream(membershipId), context, ({ state }) => {
        const granted = state.granted;
        if (!granted) throw notFound('MEMBERSHIP_NOT_FOUND', 'no such membership');
        if (principal) {
          if (principal.role !== 'officer') throw forbidden('FORBIDDEN', 'only officers end memberships');
          if (!jurisdictionCovers(principal.jurisdiction!, granted.jurisdiction)) {
            throw notFound('MEMBERSHIP_NOT_FOUND', 'no such membership');
          }
        } else if (state.status === 'exited') {
          return undefined; // the promotion saga asking again
        }
        const today = chinaDate(this.clock.now());
        const banYears = this.policies.get(granted.policyVersion)!.workflow.banYearsAfterFraud;
        const banUntil =
          isBanningExit(exit.reason) && banYears > 0 ? addYearsClamped(today as IsoDate, banYears) : null;
        return { type: 'ExitMembership', exit: { ...exit, on: today, banUntil } };
      });
  }
}

/** Admission as a gazelle ends an eaglet membership with reason `promoted` (policy `promotesFrom`). */
@CommandHandler(PromoteMembershipsCommand)
export class PromoteMembershipsHandler implements ICommandHandler<PromoteMembershipsCommand> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(CommandBus) private readonly commands: CommandBus,
  ) {}

  async execute({ creditCode, programme, membershipId, context }: PromoteMembershipsCommand): Promise<void> {
    const membership = await this.aggregates.membership(membershipId);
    const promotesFrom =
      this.policies.get(membership.state.granted!.policyVersion)!.workflow.promotesFrom ?? [];
    if (!promotesFrom.length) return;
    const enterprise = await this.aggregates.enterprise(creditCode);
    for (const lower of enterprise.state.memberships ?? []) {
      if (lower.membershipId === membershipId || !promotesFrom.includes(lower.programme as never)) continue;
      const current = await this.aggregates.membership(lower.membershipId);
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
  constructor(@Inject(Aggregates) private readonly aggregates: Aggregates) {}

  async execute({ membershipId, context }: BanEnterpriseCommand): Promise<void> {
    const membership = await this.aggregates.membership(membershipId);
    const granted = membership.state.granted;
    const exit = membership.state.exit;
    if (!granted || !exit || !isBanningExit(exit.reason) || !exit.banUntil) return;
    const banUntil = exit.banUntil;
    await this.aggregates.of(enterpriseDecider).handle(enterpriseStream(granted.creditCode), context, () => ({
      type: 'BanEnterprise',
      ban: { until: banUntil, reason: `${exit.reason} (${granted.programme})`, membershipId },
    }));
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
