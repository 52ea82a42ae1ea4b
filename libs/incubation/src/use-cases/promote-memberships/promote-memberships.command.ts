import type { CommandContext } from '../../infrastructure/command-context';

/** Saga: admission to a list ends the enterprise's memberships of the lists it promotes from. */
export class PromoteMembershipsCommand {
  constructor(
    readonly creditCode: string,
    readonly programme: string,
    readonly membershipId: string,
    readonly context: CommandContext,
  ) {}
}
