import type { CommandContext } from '../../infrastructure/command-context';

/** Sent by the deadlines saga when a returned application's response deadline has passed. */
export class WithdrawForMissedDeadlineCommand {
  constructor(
    readonly applicationId: string,
    readonly context: CommandContext,
  ) {}
}
