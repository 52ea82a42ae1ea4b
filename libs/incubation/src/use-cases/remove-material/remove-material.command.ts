import type { Principal } from '@engine/platform';
import type { CommandContext } from '../../infrastructure/command-context';

export class RemoveMaterialCommand {
  constructor(
    readonly applicationId: string,
    readonly materialId: string,
    readonly principal: Principal,
    readonly context: CommandContext,
  ) {}
}
