import type { Principal } from '@engine/platform';
import type { CommandContext } from '../../infrastructure/command-context';

/**
 * Sent by the expert-review saga after an expert's deadline (no principal), or by an officer
 * (`principal`, who must reach the application and act for its round): a fresh draw takes the seat.
 */
export class ReplaceOverdueExpertCommand {
  constructor(
    readonly applicationId: string,
    readonly expertId: string,
    readonly context: CommandContext,
    readonly principal?: Principal,
  ) {}
}
