import type { Principal } from '@engine/platform';
import type { CommandContext } from '../../infrastructure/command-context';

/** A city officer draws the panel of an application accepted for expert review. */
export class DrawPanelCommand {
  constructor(
    readonly applicationId: string,
    readonly size: number | undefined,
    readonly principal: Principal,
    readonly context: CommandContext,
  ) {}
}
