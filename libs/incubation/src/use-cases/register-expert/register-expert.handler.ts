import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { expertPoolDecider } from '../../domain/expert-pool/expert-pool.decider';
import { EXPERT_POOL_STREAM } from '../../domain/expert-pool/expert-pool.events';
import { Aggregates } from '../../infrastructure/handle-command';
import { RegisterExpertCommand } from './register-expert.command';

@CommandHandler(RegisterExpertCommand)
export class RegisterExpertHandler implements ICommandHandler<RegisterExpertCommand> {
  constructor(@Inject(Aggregates) private readonly aggregates: Aggregates) {}
  async execute({ expert, context }: RegisterExpertCommand): Promise<void> {
    await this.aggregates
      .of(expertPoolDecider)
      .handle(EXPERT_POOL_STREAM, context, () => ({ type: 'RegisterExpert', expert }));
  }
}
