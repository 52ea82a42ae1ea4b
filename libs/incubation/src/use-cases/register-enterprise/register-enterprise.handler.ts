import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { chinaDate, Clock } from '@engine/platform';
import { EnterpriseAggregate } from '../../aggregates/enterprise.aggregate';
import { AggregateRepository } from '../../infrastructure/aggregate-repository';
import { RegisterEnterpriseCommand } from './register-enterprise.command';

@CommandHandler(RegisterEnterpriseCommand)
export class RegisterEnterpriseHandler implements ICommandHandler<
  RegisterEnterpriseCommand,
  EnterpriseAggregate
> {
  constructor(
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  execute({ enterprise, context }: RegisterEnterpriseCommand): Promise<EnterpriseAggregate> {
    return this.repository.execute(
      () => new EnterpriseAggregate(enterprise.creditCode),
      context,
      (aggregate) => aggregate.register(enterprise, chinaDate(this.clock.now())),
    );
  }
}
