import type { Principal } from '@engine/platform';
import type { CommandContext } from '../../infrastructure/aggregate-repository';

export class UpdateApplicationCommand {
  constructor(
    readonly applicationId: string,
    readonly data: Record<string, unknown>,
    readonly principal: Principal,
    readonly context: CommandContext,
  ) {}
}
