import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { applicationDecider } from '../../domain/application/application.decider';
import { applicationStream } from '../../domain/application/application.events';
import { Aggregates } from '../../infrastructure/handle-command';
import { RejectApplicationCommand } from './reject-application.command';

@CommandHandler(RejectApplicationCommand)
export class RejectApplicationHandler implements ICommandHandler<RejectApplicationCommand> {
  constructor(@Inject(Aggregates) private readonly aggregates: Aggregates) {}
  async execute({ applicationId, stage, reason, context }: RejectApplicationCommand): Promise<void> {
    await this.aggregates
      .of(applicationDecider)
      .handle(applicationStream(applicationId), context, () => ({ type: 'RejectLate', stage, reason }));
  }
}
