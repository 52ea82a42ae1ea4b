import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { chinaDate, Clock } from '@engine/platform';
import { roundDecider, type RoundState } from '../../domain/round/round.decider';
import { roundStream } from '../../domain/round/round.events';
import { notFound } from '../../domain/shared/domain-error';
import { type Aggregate, Aggregates } from '../../infrastructure/handle-command';
import { DocumentNumberRegistry, noticeFor } from '../document-numbers/document-number-registry';
import { type PolicySummary, PolicyLookup } from '../policy-lookup';
import { assertOfficerOverRound } from '../reach';
import { FinalizeRoundCommand } from './finalize-round.command';

/** How a round ends: its own list, or a recommendation to the ministry (little giant). */
function outcomeOf(policy: PolicySummary): 'admit' | 'forward' {
  return policy.workflow.reviewStages.includes('ministry') ? 'forward' : 'admit';
}

@CommandHandler(FinalizeRoundCommand)
export class FinalizeRoundHandler implements ICommandHandler<FinalizeRoundCommand, Aggregate<RoundState>> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(DocumentNumberRegistry) private readonly numbers: DocumentNumberRegistry,
  ) {}

  async execute({ roundId, principal, context, notice }: FinalizeRoundCommand) {
    let reserve: (() => Promise<void>) | undefined;
    return this.aggregates.of(roundDecider).handle(
      roundStream(roundId),
      context,
      ({ state }) => {
        if (!state.round) throw notFound('ROUND_NOT_FOUND', 'no such round');
        assertOfficerOverRound(principal, state.round.jurisdiction, 'finalize a round');
        if (!principal && state.final) return undefined; // the saga asking again
        const policy = this.policies.pinned(state.round.policyVersion);
        const today = chinaDate(this.clock.now());
        const document = notice && noticeFor(notice, policy, today);
        reserve =
          document &&
          (() => this.numbers.reserve(document.number, { purpose: 'admission', roundId }, context));
        return {
          type: 'FinalizeRound',
          today,
          outcome: outcomeOf(policy),
          ...(document ? { notice: { documentNumber: document.number.text, issuer: document.issuer } } : {}),
          ...(policy.workflow.quotaTieBreak ? { tieBreak: policy.workflow.quotaTieBreak } : {}),
        };
      },
      { beforeAppend: async () => reserve?.() },
    );
  }
}
