import type { CommandContext } from '../../infrastructure/aggregate-repository';

export class CloseRoundCommand {
  constructor(
    readonly roundId: string,
    readonly reason: string,
    readonly context: CommandContext,
  ) {}
}
