import type { CommandContext } from '../../infrastructure/command-context';

/** Sent by the expert-review saga one working day before an expert's deadline. */
export class RemindExpertCommand {
  constructor(
    readonly applicationId: string,
    readonly expertId: string,
    readonly context: CommandContext,
  ) {}
}
