import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '@engine/platform';
import { Aggregates } from '../../infrastructure/handle-command';
import { PolicyLookup } from '../policy-lookup';
import { replaceSeat } from '../expert-review/expert-panel.facts';
import { ReplaceOverdueExpertCommand } from './replace-overdue-expert.command';

/**
 * Replaces an expert who let the deadline pass: a fresh draw of one from the pool, without
 * conflicts and without anyone drawn before. The seed is derived from the saga step that
 * asks, so a repeated step draws the same expert.
 */
@CommandHandler(ReplaceOverdueExpertCommand)
export class ReplaceOverdueExpertHandler implements ICommandHandler<ReplaceOverdueExpertCommand> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ applicationId, expertId, context, principal }: ReplaceOverdueExpertCommand): Promise<void> {
    await replaceSeat(
      this.aggregates,
      this.policies,
      this.clock,
      applicationId,
      expertId,
      'overdue',
      context,
      principal,
    );
  }
}
