import type { Principal } from '@engine/platform';
import type { CommandContext } from '../../infrastructure/aggregate-repository';

export class SubmitApplicationCommand {
  constructor(
    readonly applicationId: string,
    readonly principal: Principal,
    readonly context: CommandContext,
  ) {}
}
