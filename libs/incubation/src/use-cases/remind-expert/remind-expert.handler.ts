import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { applicationDecider } from '../../domain/application/application.decider';
import { applicationStream } from '../../domain/application/application.events';
import { Aggregates } from '../../infrastructure/handle-command';
import { RemindExpertCommand } from './remind-expert.command';

@CommandHandler(RemindExpertCommand)
export class RemindExpertHandler implements ICommandHandler<RemindExpertCommand> {
  constructor(@Inject(Aggregates) private readonly aggregates: Aggregates) {}
  async execute({ applicationId, expertId, context }: RemindExpertCommand): Promise<void> {
    await this.aggregates
      .of(applicationDecider)
      .handle(applicationStream(applicationId), context, () => ({ type: 'RemindExpert', expertId }));
  }
}
