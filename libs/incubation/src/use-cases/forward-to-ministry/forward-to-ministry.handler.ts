import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { applicationDecider } from '../../domain/application/application.decider';
import { applicationStream } from '../../domain/application/application.events';
import { Aggregates } from '../../infrastructure/handle-command';
import { ForwardToMinistryCommand } from './forward-to-ministry.command';

@CommandHandler(ForwardToMinistryCommand)
export class ForwardToMinistryHandler implements ICommandHandler<ForwardToMinistryCommand> {
  constructor(@Inject(Aggregates) private readonly aggregates: Aggregates) {}
  async execute({ applicationId, roundId, context }: ForwardToMinistryCommand): Promise<void> {
    await this.aggregates
      .of(applicationDecider)
      .handle(applicationStream(applicationId), context, () => ({ type: 'ForwardToMinistry', roundId }));
  }
}
