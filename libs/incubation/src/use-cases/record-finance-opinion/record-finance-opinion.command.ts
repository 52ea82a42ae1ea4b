import type { Principal } from '@engine/platform';
import type { FinancingDecision } from '../../domain/application/application.events';
import type { CommandContext } from '../../infrastructure/command-context';

/** The finance bureau's opinion on a tech-retrofit project, recorded by a city officer. */
export class RecordFinanceOpinionCommand {
  constructor(
    readonly applicationId: string,
    readonly opinion: { approved: boolean; opinion: string; financing?: Partial<FinancingDecision> },
    readonly principal: Principal,
    readonly context: CommandContext,
  ) {}
}
