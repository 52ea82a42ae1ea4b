import type { Principal } from '@engine/platform';
import type { CommandContext } from '../../infrastructure/command-context';

/** An officer over the round upholds or dismisses an objection, with a reason. */
export class ResolveObjectionCommand {
  constructor(
    readonly objectionId: string,
    readonly resolution: { upheld: boolean; reason: string },
    readonly principal: Principal,
    readonly context: CommandContext,
  ) {}
}
