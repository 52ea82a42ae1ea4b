import type { CommandContext } from '../../infrastructure/command-context';

/** A saga step: an application on the round's final list is admitted. */
export class AdmitApplicationCommand {
  constructor(
    readonly applicationId: string,
    readonly roundId: string,
    readonly admittedOn: string,
    readonly context: CommandContext,
  ) {}
}
