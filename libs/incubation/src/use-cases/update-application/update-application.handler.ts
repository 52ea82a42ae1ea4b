import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApplicationAggregate } from '../../aggregates/application.aggregate';
import { invalid } from '../../domain/shared/domain-error';
import { AggregateRepository } from '../../infrastructure/aggregate-repository';
import { PolicyLookup } from '../policy-lookup';
import { assertOwnsApplication } from '../reach';
import { UpdateApplicationCommand } from './update-application.command';

@CommandHandler(UpdateApplicationCommand)
export class UpdateApplicationHandler implements ICommandHandler<
  UpdateApplicationCommand,
  ApplicationAggregate
> {
  constructor(
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
  ) {}

  execute({
    applicationId,
    data,
    principal,
    context,
  }: UpdateApplicationCommand): Promise<ApplicationAggregate> {
    return this.repository.execute(
      () => new ApplicationAggregate(applicationId),
      context,
      (application) => {
        assertOwnsApplication(principal, application.state);
        const problems = this.policies.validateData(application.state.created!.policyVersion, data);
        if (problems.length)
          throw invalid('VALIDATION_FAILED', 'the application data does not fit the programme', problems);
        application.updateData(data);
      },
    );
  }
}
