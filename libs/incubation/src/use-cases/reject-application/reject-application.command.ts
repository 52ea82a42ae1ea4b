import type { RejectionStage } from '../../domain/application/application.events';
import type { CommandContext } from '../../infrastructure/command-context';

/** A saga step: an application the round's decision leaves out (upheld objection, over quota). */
export class RejectApplicationCommand {
  constructor(
    readonly applicationId: string,
    readonly stage: RejectionStage,
    readonly reason: string,
    readonly context: CommandContext,
  ) {}
}
