import type { ExpertProfile } from '../../domain/expert-pool/expert-pool.events';
import type { CommandContext } from '../../infrastructure/command-context';

/** An admin adds an expert to the pool. */
export class RegisterExpertCommand {
  constructor(
    readonly expert: ExpertProfile,
    readonly context: CommandContext,
  ) {}
}
