import type { Principal } from '@engine/platform';
import type { CommandContext } from '../../infrastructure/command-context';

/** A payment (拨付) against an allocation, with the number of the document that approved it. */
export class RecordFundPaymentCommand {
  constructor(
    readonly fundId: string,
    readonly allocationId: string,
    readonly paymentId: string,
    readonly payment: { amount: number; documentNumber: string },
    readonly principal: Principal,
    readonly context: CommandContext,
  ) {}
}
