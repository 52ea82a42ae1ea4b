import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { chinaDate, Clock, jurisdictionCovers, type Principal } from '@engine/platform';
import { roundDecider, type RoundState } from '../../domain/round/round.decider';
import { roundStream } from '../../domain/round/round.events';
import { notFound } from '../../domain/shared/domain-error';
import type { CommandContext } from '../../infrastructure/command-context';
import { type Aggregate, Aggregates } from '../../infrastructure/handle-command';
import { PolicyLookup } from '../policy-lookup';
import type { NoticeInput } from '../publicity/publicity.commands';
import { DocumentNumberRegistry, noticeFor } from './document-number-registry';

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
        const policy = this.policies.get(state.round.policyVersion)!;
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
