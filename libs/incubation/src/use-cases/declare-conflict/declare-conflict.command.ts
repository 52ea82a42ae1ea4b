import type { Principal } from '@engine/platform';
import type { CommandContext } from '../../infrastructure/command-context';

/** An expert on the panel declares, before scoring, whether they have a conflict of interest. */
export class DeclareConflictCommand {
  constructor(
    readonly applicationId: string,
    readonly declaration: { conflict: boolean; reason: string | null },
    readonly principal: Principal,
    readonly context: CommandContext,
  ) {}
}
