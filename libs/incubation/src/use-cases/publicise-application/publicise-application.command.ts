import type { CommandContext } from '../../infrastructure/command-context';

/** A saga step: the round's publicity carried to one of its listed applications. */
export class PubliciseApplicationCommand {
  constructor(
    readonly applicationId: string,
    readonly publicity: { roundId: string; startsOn: string; endsOn: string; provisional?: boolean },
    readonly context: CommandContext,
  ) {}
}
