import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { applicationDecider } from '../../domain/application/application.decider';
import { applicationStream } from '../../domain/application/application.events';
import { Aggregates } from '../../infrastructure/handle-command';
import { PubliciseApplicationCommand } from './publicise-application.command';

@CommandHandler(PubliciseApplicationCommand)
export class PubliciseApplicationHandler implements ICommandHandler<PubliciseApplicationCommand> {
  constructor(@Inject(Aggregates) private readonly aggregates: Aggregates) {}
  async execute({ applicationId, publicity, context }: PubliciseApplicationCommand): Promise<void> {
    await this.aggregates
      .of(applicationDecider)
      .handle(applicationStream(applicationId), context, () => ({ type: 'Publicise', publicity }));
  }
}
