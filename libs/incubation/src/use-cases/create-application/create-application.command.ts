import type { Principal } from '@engine/platform';
import type { CommandContext } from '../../infrastructure/aggregate-repository';

export class CreateApplicationCommand {
  constructor(
    readonly applicationId: string,
    readonly input: { roundId: string; creditCode: string; data: Record<string, unknown> },
    readonly principal: Principal,
    readonly context: CommandContext,
  ) {}
}
