import type { CommandContext } from '../../infrastructure/command-context';

/**
 * Sent by the expert-review saga after an expert's deadline, or by an officer (`requestedBy`):
 * a fresh draw takes the seat.
 */
export class ReplaceOverdueExpertCommand {
  constructor(
    readonly applicationId: string,
    readonly expertId: string,
    readonly context: CommandContext,
    readonly requestedBy?: 'officer',
  ) {}
}
