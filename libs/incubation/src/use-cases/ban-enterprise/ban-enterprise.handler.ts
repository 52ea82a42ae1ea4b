import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { isBanningExit } from '../../domain/membership/membership.events';
import { Aggregates } from '../../infrastructure/handle-command';
import { enterpriseDecider } from '../../domain/enterprise/enterprise.decider';
import { enterpriseStream } from '../../domain/enterprise/enterprise.events';
import { BanEnterpriseCommand } from './ban-enterprise.command';

@CommandHandler(BanEnterpriseCommand)
export class BanEnterpriseHandler implements ICommandHandler<BanEnterpriseCommand> {
  constructor(@Inject(Aggregates) private readonly aggregates: Aggregates) {}

  async execute({ membershipId, context }: BanEnterpriseCommand): Promise<void> {
    const membership = await this.aggregates.membership(membershipId);
    const granted = membership.state.granted;
    const exit = membership.state.exit;
    if (!granted || !exit || !isBanningExit(exit.reason) || !exit.banUntil) return;
    const banUntil = exit.banUntil;
    await this.aggregates.of(enterpriseDecider).handle(enterpriseStream(granted.creditCode), context, () => ({
      type: 'BanEnterprise',
      ban: { until: banUntil, reason: `${exit.reason} (${granted.programme})`, membershipId },
    }));
  }
}
