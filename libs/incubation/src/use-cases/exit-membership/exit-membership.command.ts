import type { Principal } from '@engine/platform';
import type { ExitReason } from '../../domain/membership/membership.events';
import type { CommandContext } from '../../infrastructure/command-context';

/** An officer ends a membership; the promotion saga ends lower tiers (principal undefined). */
export class ExitMembershipCommand {
  constructor(
    readonly membershipId: string,
    readonly exit: { reason: ExitReason; note: string | null },
    readonly principal: Principal | undefined,
    readonly context: CommandContext,
  ) {}
}
