import type { CommandContext } from '../../infrastructure/command-context';

/** Saga: an exit for fraud bars the enterprise from applying for the policy's ban period. */
export class BanEnterpriseCommand {
  constructor(
    readonly membershipId: string,
    readonly context: CommandContext,
  ) {}
}
