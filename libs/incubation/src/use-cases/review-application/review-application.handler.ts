import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { chinaDate, Clock, workingDayPeriod } from '@engine/platform';
import { forbidden } from '../../domain/shared/domain-error';
import { Aggregates, type Aggregate } from '../../infrastructure/handle-command';
import { PolicyLookup } from '../policy-lookup';
import { assertCanSeeApplication, assertCityOfficer } from '../reach';
import { ReviewApplicationCommand } from './review-application.command';
import { applicationDecider, type ApplicationState } from '../../domain/application/application.decider';
import { applicationStream } from '../../domain/application/application.events';

/**
 * District first review and city formal review. Any officer at or above the application's
 * jurisdiction may act on the district stage; the city stage belongs to officers at or above
 * the round's issuing jurisdiction. A return without `respondBy` gets the policy's deadline
 * in working days on the official calendar.
 */
@CommandHandler(ReviewApplicationCommand)
export class ReviewApplicationHandler implements ICommandHandler<
  ReviewApplicationCommand,
  Aggregate<ApplicationState>
> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  execute({
    applicationId,
    review,
    principal,
    context,
  }: ReviewApplicationCommand): Promise<Aggregate<ApplicationState>> {
    return this.aggregates
      .of(applicationDecider)
      .handle(applicationStream(applicationId), context, (application) => {
        const created = assertCanSeeApplication(principal, application.state);
        if (principal.role !== 'officer') throw forbidden('FORBIDDEN', 'only officers review');
        if (review.stage === 'city') assertCityOfficer(principal, application.state, 'the city stage');
        const today = chinaDate(this.clock.now());
        const policy = this.policies.pinned(created.policyVersion);
        // An officer's own date is no computation; the policy's default is counted on the calendar.
        const computed =
          review.decision === 'return' && !review.respondBy
            ? workingDayPeriod(today, policy.responseDeadlineWorkingDays)
            : undefined;
        const respondBy = review.decision === 'return' ? (review.respondBy ?? computed!.endsOn) : undefined;
        return {
          type: 'ReviewApplication',
          ...review,
          respondBy,
          provisional: computed?.provisional ?? false,
          today,
        };
      });
  }
}
