import type { Principal } from '@engine/platform';
import type { CommandContext } from '../../infrastructure/command-context';

export class UpdateApplicationCommand {
  constructor(
    readonly applicationId: string,
    readonly data: Record<string, unknown>,
    readonly principal: Principal,
    readonly context: CommandContext,
  ) {}
}
