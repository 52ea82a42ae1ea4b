import type { CommandContext } from '../../infrastructure/command-context';

/** Sent by the expert-review saga when an expert declared a conflict: a fresh draw takes the seat. */
export class ReplaceConflictedExpertCommand {
  constructor(
    readonly applicationId: string,
    readonly expertId: string,
    readonly context: CommandContext,
  ) {}
}
