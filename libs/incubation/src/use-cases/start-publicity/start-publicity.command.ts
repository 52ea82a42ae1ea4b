import type { Principal } from '@engine/platform';
import type { CommandContext } from '../../infrastructure/command-context';
import type { NoticeInput } from '../document-numbers/document-number-registry';

/** A city officer publicises the round's passed applications (公示). */
export class StartPublicityCommand {
  constructor(
    readonly roundId: string,
    readonly startsOn: string | undefined,
    readonly principal: Principal,
    readonly context: CommandContext,
    readonly notice?: NoticeInput,
    /** The officer confirms a publicity whose end falls in a year without an installed arrangement. */
    readonly confirmProvisional = false,
  ) {}
}
