import type { CommandContext } from '../../infrastructure/command-context';

/** Saga: an admitted application starts (or renews) its membership. */
export class GrantMembershipCommand {
  constructor(
    readonly applicationId: string,
    readonly context: CommandContext,
  ) {}
}
