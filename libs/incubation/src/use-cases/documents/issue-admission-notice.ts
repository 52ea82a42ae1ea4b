import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { chinaDate, Clock, jurisdictionCovers, type Principal } from '@engine/platform';
import { RoundAggregate } from '../../aggregates/round.aggregate';
import { issueAdmissionNotice } from '../../domain/round/round.decider';
import { notFound } from '../../domain/shared/domain-error';
import { AggregateRepository, type CommandContext } from '../../infrastructure/aggregate-repository';
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
  RoundAggregate
> {
  constructor(
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(DocumentNumberRegistry) private readonly numbers: DocumentNumberRegistry,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  execute({ roundId, notice, principal, context }: IssueAdmissionNoticeCommand): Promise<RoundAggregate> {
    return this.repository.execute(
      () => new RoundAggregate(roundId),
      context,
      async (round) => {
        if (
          !round.state.exists ||
          !jurisdictionCovers(principal.jurisdiction ?? '', round.state.round!.jurisdiction)
        ) {
          throw notFound('ROUND_NOT_FOUND', 'no such round');
        }
        const today = chinaDate(this.clock.now());
        const policy = this.policies.get(round.state.round!.policyVersion)!;
        const document = noticeFor(notice, policy, today);
        round.decide((state) =>
          issueAdmissionNotice(state, {
            documentNumber: document.number.text,
            issuer: document.issuer,
            issuedOn: today,
          }),
        );
        await this.numbers.reserve(document.number, { purpose: 'admission', roundId }, context);
      },
    );
  }
}
