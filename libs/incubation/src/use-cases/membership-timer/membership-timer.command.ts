import type { CommandContext } from '../../infrastructure/command-context';

/** Saga (timers): remind before the annual due date, flag a missed report after it, expire. */
export class MembershipTimerCommand {
  constructor(
    readonly membershipId: string,
    readonly what: 'remind-annual-report' | 'annual-report-due' | 'expire',
    readonly year: number | null,
    readonly dueOn: string | null,
    readonly context: CommandContext,
  ) {}
}
