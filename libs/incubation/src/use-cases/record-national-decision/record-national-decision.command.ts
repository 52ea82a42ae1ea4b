import type { Principal } from '@engine/platform';
import type { CommandContext } from '../../infrastructure/command-context';

/** The local bureau records the ministry's decision on a little giant recommended to it. */
export class RecordNationalDecisionCommand {
  constructor(
    readonly applicationId: string,
    readonly decision: { decision: 'recognized' | 'rejected'; documentNumber: string },
    readonly principal: Principal,
    readonly context: CommandContext,
  ) {}
}
