import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { chinaDate, Clock } from '@engine/platform';
import { applicationDecider, type ApplicationState } from '../../domain/application/application.decider';
import { applicationStream, type EligibilityRecord } from '../../domain/application/application.events';
import { notFound } from '../../domain/shared/domain-error';
import { type Aggregate, Aggregates } from '../../infrastructure/handle-command';
import { PolicyLookup } from '../policy-lookup';
import { CreateApplicationCommand } from './create-application.command';

export interface CreatedApplication {
  application: Aggregate<ApplicationState>;
  /** A preview under the round's policy: nothing is decided until submission. */
  eligibility: EligibilityRecord;
}

/**
 * An enterprise opens a draft in a round; it is judged by the policy version the round pinned.
 * The facts (round, enterprise, membership, the data's fit to the policy) are gathered after
 * the idempotency check: a repeat answers the first outcome even after the round closed.
 */
@CommandHandler(CreateApplicationCommand)
export class CreateApplicationHandler implements ICommandHandler<
  CreateApplicationCommand,
  CreatedApplication
> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({
    applicationId,
    input,
    principal,
    context,
  }: CreateApplicationCommand): Promise<CreatedApplication> {
    if (principal.role !== 'enterprise' || principal.org !== input.creditCode) {
      throw notFound('ENTERPRISE_NOT_FOUND', 'an enterprise applies only for itself');
    }
    const application = await this.aggregates
      .of(applicationDecider)
      .handle(applicationStream(applicationId), context, async () => {
        const [round, enterprise, membership] = await Promise.all([
          this.aggregates.round(input.roundId),
          this.aggregates.enterprise(input.creditCode),
          input.reReviewOf ? this.aggregates.membership(input.reReviewOf) : undefined,
        ]);
        const policyVersion = round.state.round?.policyVersion;
        const now = this.clock.now();
        return {
          type: 'CreateApplication',
          applicationId,
          roundId: input.roundId,
          creditCode: input.creditCode,
          data: input.data,
          reReviewOf: input.reReviewOf ?? null,
          round: round.state,
          enterprise: enterprise.state,
          ...(membership ? { membership: membership.state } : {}),
          problems: policyVersion ? this.policies.validateData(policyVersion, input.data) : [],
          now,
          today: chinaDate(now),
        };
      });
    const created = application.state.created!;
    const enterprise = await this.aggregates.enterprise(created.creditCode);
    const eligibility = this.policies.evaluate(created.policyVersion, {
      enterprise: { creditCode: created.creditCode, establishedOn: enterprise.state.establishedOn! },
      data: application.state.data,
      applicationDate: chinaDate(this.clock.now()),
    });
    return { application, eligibility };
  }
}
