import type { Principal } from '@engine/platform';
import type { CommandContext } from '../../infrastructure/command-context';
import type { NoticeInput } from '../document-numbers/document-number-registry';

/** An officer asks for the final list; the publicity saga asks too (principal undefined). */
export class FinalizeRoundCommand {
  constructor(
    readonly roundId: string,
    readonly principal: Principal | undefined,
    readonly context: CommandContext,
    readonly notice?: NoticeInput,
  ) {}
}
