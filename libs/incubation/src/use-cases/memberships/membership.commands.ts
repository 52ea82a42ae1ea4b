import type { Principal } from '@engine/platform';
import type { ExitReason } from '../../domain/membership/membership.events';
import type { CommandContext } from '../../infrastructure/command-context';

/** Saga: an admitted application starts (or renews) its membership. */
export class GrantMembershipCommand {
  constructor(
    readonly applicationId: string,
    readonly context: CommandContext,
  ) {}
}

export class FileAnnualReportCommand {
  constructor(
    readonly membershipId: string,
    readonly report: { year: number; data: Record<string, unknown> },
    readonly principal: Principal,
    readonly context: CommandContext,
  ) {}
}

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

/** An officer ends a membership; the promotion saga ends lower tiers (principal undefined). */
export class ExitMembershipCommand {
  constructor(
    readonly membershipId: string,
    readonly exit: { reason: ExitReason; note: string | null },
    readonly principal: Principal | undefined,
    readonly context: CommandContext,
  ) {}
}

/** Saga: admission to a list ends the enterprise's memberships of the lists it promotes from. */
export class PromoteMembershipsCommand {
  constructor(
    readonly creditCode: string,
    readonly programme: string,
    readonly membershipId: string,
    readonly context: CommandContext,
  ) {}
}

/** Saga: an exit for fraud bars the enterprise from applying for the policy's ban period. */
export class BanEnterpriseCommand {
  constructor(
    readonly membershipId: string,
    readonly context: CommandContext,
  ) {}
}
