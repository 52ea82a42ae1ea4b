import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '@engine/platform';
import { Aggregates } from '../../infrastructure/handle-command';
import { PolicyLookup } from '../policy-lookup';
import { replaceSeat } from '../expert-review/expert-panel.facts';
import { ReplaceConflictedExpertCommand } from './replace-conflicted-expert.command';

/** Replaces an expert who declared a conflict of interest, the same way as an overdue one. */
@CommandHandler(ReplaceConflictedExpertCommand)
export class ReplaceConflictedExpertHandler implements ICommandHandler<ReplaceConflictedExpertCommand> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ applicationId, expertId, context }: ReplaceConflictedExpertCommand): Promise<void> {
    await replaceSeat(
      this.aggregates,
      this.policies,
      this.clock,
      applicationId,
      expertId,
      'conflict-of-interest',
      context,
    );
  }
}
