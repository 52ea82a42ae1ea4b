import type { Principal } from '@engine/platform';
import type { CommandContext } from '../../infrastructure/command-context';

export class CloseRoundCommand {
  constructor(
    readonly roundId: string,
    readonly reason: string,
    readonly context: CommandContext,
    /** The closing officer (reach.ts); none for the engine closing it when the window ends. */
    readonly principal?: Principal,
  ) {}
}
