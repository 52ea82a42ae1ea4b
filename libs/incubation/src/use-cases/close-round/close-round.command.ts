import type { CommandContext } from '../../infrastructure/command-context';

export class CloseRoundCommand {
  constructor(
    readonly roundId: string,
    readonly reason: string,
    readonly context: CommandContext,
  ) {}
}
