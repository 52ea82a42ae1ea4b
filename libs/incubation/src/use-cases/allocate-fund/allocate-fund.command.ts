import type { Principal } from '@engine/platform';
import type { CommandContext } from '../../infrastructure/command-context';

/** An allocation from a fund: to an admitted enterprise's membership, or to a platform by name. */
export class AllocateFundCommand {
  constructor(
    readonly fundId: string,
    readonly allocationId: string,
    readonly allocation: {
      recipient: { membershipId: string } | { platform: string };
      amount: number;
      purpose: string;
    },
    readonly principal: Principal,
    readonly context: CommandContext,
  ) {}
}
