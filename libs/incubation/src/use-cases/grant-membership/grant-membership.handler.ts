import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { membershipStream } from '../../domain/membership/membership.events';
import { Aggregates } from '../../infrastructure/handle-command';
import { PolicyLookup } from '../policy-lookup';
import { enterpriseDecider } from '../../domain/enterprise/enterprise.decider';
import { enterpriseStream } from '../../domain/enterprise/enterprise.events';
import { membershipDecider } from '../../domain/membership/membership.decider';
import { GrantMembershipCommand } from './grant-membership.command';

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
    const policy = this.policies.pinned(created.policyVersion);
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
