import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { chinaDate, Clock } from '@engine/platform';
import { ApplicationAggregate } from '../../aggregates/application.aggregate';
import { EnterpriseAggregate } from '../../aggregates/enterprise.aggregate';
import { MembershipAggregate } from '../../aggregates/membership.aggregate';
import { RoundAggregate } from '../../aggregates/round.aggregate';
import { assertMayReReview } from '../../domain/membership/membership.decider';
import type { EligibilityRecord } from '../../domain/application/application.events';
import { roundStatus } from '../../domain/round/round.decider';
import { conflict, invalid, notFound, ruleViolated } from '../../domain/shared/domain-error';
import { AggregateRepository } from '../../infrastructure/aggregate-repository';
import { PolicyLookup } from '../policy-lookup';
import { CreateApplicationCommand } from './create-application.command';

export interface CreatedApplication {
  application: ApplicationAggregate;
  /** A preview under the round's policy: nothing is decided until submission. */
  eligibility: EligibilityRecord;
}

/** An enterprise opens a draft in a round; it is judged by the policy version the round pinned. */
@CommandHandler(CreateApplicationCommand)
export class CreateApplicationHandler implements ICommandHandler<
  CreateApplicationCommand,
  CreatedApplication
> {
  constructor(
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
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
    const [round, enterprise] = await Promise.all([
      this.repository.load(() => new RoundAggregate(input.roundId)),
      this.repository.load(() => new EnterpriseAggregate(input.creditCode)),
    ]);
    if (!round.state.exists) throw notFound('ROUND_NOT_FOUND', 'no such round');
    if (!enterprise.state.registered) {
      throw conflict(
        'ENTERPRISE_NOT_REGISTERED',
        'register the enterprise (POST /v1/enterprises) before applying',
      );
    }
    const today = chinaDate(this.clock.now());
    if (enterprise.state.bannedUntil && enterprise.state.bannedUntil >= today) {
      throw ruleViolated(
        'ENTERPRISE_BANNED',
        `the enterprise may not apply until ${enterprise.state.bannedUntil} (exit for fraud or serious dishonesty)`,
      );
    }
    const status = roundStatus(round.state, this.clock.now());
    if (status !== 'open' && status !== 'scheduled') throw conflict('ROUND_CLOSED', `the round is ${status}`);
    if (input.reReviewOf) {
      const membership = await this.repository.load(() => new MembershipAggregate(input.reReviewOf!));
      const granted = membership.state.granted;
      if (!granted || granted.creditCode !== input.creditCode) {
        throw notFound('MEMBERSHIP_NOT_FOUND', 'no such membership of this enterprise');
      }
      if (granted.programme !== round.state.round!.programme) {
        throw conflict(
          'WRONG_PROGRAMME',
          `the membership is of ${granted.programme}, the round of ${round.state.round!.programme}`,
        );
      }
      assertMayReReview(membership.state);
    }
    const policyVersion = round.state.round!.policyVersion;
    const problems = this.policies.validateData(policyVersion, input.data);
    if (problems.length)
      throw invalid('VALIDATION_FAILED', 'the application data does not fit the programme', problems);

    const application = await this.repository.execute(
      () => new ApplicationAggregate(applicationId),
      context,
      (aggregate) =>
        aggregate.create({
          applicationId,
          roundId: input.roundId,
          programme: round.state.round!.programme,
          policyVersion,
          creditCode: input.creditCode,
          jurisdiction: enterprise.state.jurisdiction!,
          roundJurisdiction: round.state.round!.jurisdiction,
          data: input.data,
          reReviewOf: input.reReviewOf ?? null,
        }),
    );
    const eligibility = this.policies.evaluate(policyVersion, {
      enterprise: { creditCode: input.creditCode, establishedOn: enterprise.state.establishedOn! },
      data: application.state.data,
      applicationDate: chinaDate(this.clock.now()),
    });
    return { application, eligibility };
  }
}
