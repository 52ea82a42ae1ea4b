import type { CommandContext } from '../../infrastructure/command-context';

/** A saga step: an application on the final list of a round the ministry decides is recommended to it. */
export class ForwardToMinistryCommand {
  constructor(
    readonly applicationId: string,
    readonly roundId: string,
    readonly context: CommandContext,
  ) {}
}
