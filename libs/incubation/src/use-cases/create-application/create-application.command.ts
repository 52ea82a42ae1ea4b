import type { Principal } from '@engine/platform';
import type { CommandContext } from '../../infrastructure/command-context';

export class CreateApplicationCommand {
  constructor(
    readonly applicationId: string,
    readonly input: {
      roundId: string;
      creditCode: string;
      data: Record<string, unknown>;
      /** A re-review (复核): the membership it would renew. */
      reReviewOf?: string;
    },
    readonly principal: Principal,
    readonly context: CommandContext,
  ) {}
}
