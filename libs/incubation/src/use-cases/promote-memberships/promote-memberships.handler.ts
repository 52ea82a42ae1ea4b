import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Aggregates } from '../../infrastructure/handle-command';
import { PolicyLookup } from '../policy-lookup';
import { PromoteMembershipsCommand } from './promote-memberships.command';
import { ExitMembershipCommand } from '../exit-membership/exit-membership.command';

/** Admission as a gazelle ends an eaglet membership with reason `promoted` (policy `promotesFrom`). */
@CommandHandler(PromoteMembershipsCommand)
export class PromoteMembershipsHandler implements ICommandHandler<PromoteMembershipsCommand> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(CommandBus) private readonly commands: CommandBus,
  ) {}

  async execute({ creditCode, programme, membershipId, context }: PromoteMembershipsCommand): Promise<void> {
    const membership = await this.aggregates.membership(membershipId);
    const promotesFrom =
      this.policies.pinned(membership.state.granted!.policyVersion).workflow.promotesFrom ?? [];
    if (!promotesFrom.length) return;
    const enterprise = await this.aggregates.enterprise(creditCode);
    for (const lower of enterprise.state.memberships ?? []) {
      if (lower.membershipId === membershipId || !promotesFrom.includes(lower.programme as never)) continue;
      const current = await this.aggregates.membership(lower.membershipId);
      if (current.state.status !== 'active') continue;
      await this.commands.execute(
        new ExitMembershipCommand(
          lower.membershipId,
          { reason: 'promoted', note: `admitted to ${programme} (${membershipId})` },
          undefined,
          { ...context, idempotencyKey: `${context.idempotencyKey}/${lower.membershipId}` },
        ),
      );
    }
  }
}
