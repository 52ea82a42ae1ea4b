import type { CommandContext } from '../../infrastructure/command-context';

/** Sent by the calendar saga when a year's arrangement is installed. */
export class RecomputeProvisionalDeadlinesCommand {
  constructor(
    readonly calendar: { year: number; digest: string },
    readonly context: CommandContext,
  ) {}
}
