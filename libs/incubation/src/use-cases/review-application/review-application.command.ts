import type { Principal } from '@engine/platform';
import type { ReviewDecision, ReviewStage } from '../../domain/application/application.events';
import type { CommandContext } from '../../infrastructure/command-context';

export class ReviewApplicationCommand {
  constructor(
    readonly applicationId: string,
    readonly review: { stage: ReviewStage; decision: ReviewDecision; reason: string; respondBy?: string },
    readonly principal: Principal,
    readonly context: CommandContext,
  ) {}
}
