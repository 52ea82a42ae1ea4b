import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { invalid } from '../../domain/shared/domain-error';
import { Aggregates, type Aggregate } from '../../infrastructure/handle-command';
import { PolicyLookup } from '../policy-lookup';
import { assertOwnsApplication } from '../reach';
import { UpdateApplicationCommand } from './update-application.command';
import { applicationDecider, type ApplicationState } from '../../domain/application/application.decider';
import { applicationStream } from '../../domain/application/application.events';

@CommandHandler(UpdateApplicationCommand)
export class UpdateApplicationHandler implements ICommandHandler<
  UpdateApplicationCommand,
  Aggregate<ApplicationState>
> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
  ) {}

  execute({
    applicationId,
    data,
    principal,
    context,
  }: UpdateApplicationCommand): Promise<Aggregate<ApplicationState>> {
    return this.aggregates
      .of(applicationDecider)
      .handle(applicationStream(applicationId), context, (application) => {
        assertOwnsApplication(principal, application.state);
        const problems = this.policies.validateData(application.state.created!.policyVersion, data);
        if (problems.length)
          throw invalid('VALIDATION_FAILED', 'the application data does not fit the programme', problems);
        return { type: 'UpdateApplicationData', data };
      });
  }
}
