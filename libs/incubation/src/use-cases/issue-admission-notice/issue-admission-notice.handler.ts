import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { chinaDate, Clock, jurisdictionCovers } from '@engine/platform';
import { roundDecider, type RoundState } from '../../domain/round/round.decider';
import { roundStream } from '../../domain/round/round.events';
import { notFound } from '../../domain/shared/domain-error';
import { type Aggregate, Aggregates } from '../../infrastructure/handle-command';
import { DocumentNumberRegistry, noticeFor } from '../document-numbers/document-number-registry';
import { PolicyLookup } from '../policy-lookup';
import { IssueAdmissionNoticeCommand } from './issue-admission-notice.command';

@CommandHandler(IssueAdmissionNoticeCommand)
export class IssueAdmissionNoticeHandler implements ICommandHandler<
  IssueAdmissionNoticeCommand,
  Aggregate<RoundState>
> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(DocumentNumberRegistry) private readonly numbers: DocumentNumberRegistry,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  execute({
    roundId,
    notice,
    principal,
    context,
  }: IssueAdmissionNoticeCommand): Promise<Aggregate<RoundState>> {
    let reserve: (() => Promise<void>) | undefined;
    return this.aggregates.of(roundDecider).handle(
      roundStream(roundId),
      context,
      ({ state }) => {
        if (!state.round || !jurisdictionCovers(principal.jurisdiction ?? '', state.round.jurisdiction)) {
          throw notFound('ROUND_NOT_FOUND', 'no such round');
        }
        const today = chinaDate(this.clock.now());
        const policy = this.policies.pinned(state.round.policyVersion);
        const document = noticeFor(notice, policy, today);
        reserve = () => this.numbers.reserve(document.number, { purpose: 'admission', roundId }, context);
        return {
          type: 'IssueAdmissionNotice',
          notice: { documentNumber: document.number.text, issuer: document.issuer, issuedOn: today },
        };
      },
      // Only once the round accepted the command: a refused command reserves nothing.
      { beforeAppend: async () => reserve?.() },
    );
  }
}
