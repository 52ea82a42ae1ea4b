import type { Principal } from '@engine/platform';
import type { CommandContext } from '../../infrastructure/command-context';
import type { NoticeInput } from '../document-numbers/document-number-registry';

/**
 * An officer of the issuing jurisdiction gives the admission notice its document number after
 * the round was finalized (the publicity saga finalizes on its own when publicity ends).
 */
export class IssueAdmissionNoticeCommand {
  constructor(
    readonly roundId: string,
    readonly notice: NoticeInput,
    readonly principal: Principal,
    readonly context: CommandContext,
  ) {}
}
