import type { Principal } from '@engine/platform';
import type { CommandContext } from '../../infrastructure/command-context';

export class FileAnnualReportCommand {
  constructor(
    readonly membershipId: string,
    readonly report: { year: number; data: Record<string, unknown> },
    readonly principal: Principal,
    readonly context: CommandContext,
  ) {}
}
