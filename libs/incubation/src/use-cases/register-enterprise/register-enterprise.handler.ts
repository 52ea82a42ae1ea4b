import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { chinaDate, Clock } from '@engine/platform';
import { Aggregates, type Aggregate } from '../../infrastructure/handle-command';
import { RegisterEnterpriseCommand } from './register-enterprise.command';
import { enterpriseDecider, type EnterpriseState } from '../../domain/enterprise/enterprise.decider';
import { enterpriseStream } from '../../domain/enterprise/enterprise.events';

@CommandHandler(RegisterEnterpriseCommand)
export class RegisterEnterpriseHandler implements ICommandHandler<
  RegisterEnterpriseCommand,
  Aggregate<EnterpriseState>
> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  execute({ enterprise, context }: RegisterEnterpriseCommand): Promise<Aggregate<EnterpriseState>> {
    return this.aggregates
      .of(enterpriseDecider)
      .handle(enterpriseStream(enterprise.creditCode), context, () => ({
        type: 'RegisterEnterprise',
        data: enterprise,
        today: chinaDate(this.clock.now()),
      }));
  }
}
