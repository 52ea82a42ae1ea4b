import type { Principal } from '@engine/platform';
import type { CommandContext } from '../../infrastructure/command-context';

export class SubmitApplicationCommand {
  constructor(
    readonly applicationId: string,
    readonly principal: Principal,
    readonly context: CommandContext,
  ) {}
}
