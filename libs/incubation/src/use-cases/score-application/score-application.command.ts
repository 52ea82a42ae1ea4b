import type { Principal } from '@engine/platform';
import type { CommandContext } from '../../infrastructure/command-context';

/** An expert on the panel scores: one score, or each indicator of the policy's scoring sheet. */
export class ScoreApplicationCommand {
  constructor(
    readonly applicationId: string,
    readonly score: number | undefined,
    readonly comment: string | null,
    readonly principal: Principal,
    readonly context: CommandContext,
    readonly indicators?: { code: string; score: number; comment: string | null }[],
  ) {}
}
