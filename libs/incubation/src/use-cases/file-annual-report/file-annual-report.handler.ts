import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { chinaDate, Clock } from '@engine/platform';
import { membershipStream } from '../../domain/membership/membership.events';
import { notFound } from '../../domain/shared/domain-error';
import { Aggregates, type Aggregate } from '../../infrastructure/handle-command';
import { membershipDecider, type MembershipState } from '../../domain/membership/membership.decider';
import { FileAnnualReportCommand } from './file-annual-report.command';

@CommandHandler(FileAnnualReportCommand)
export class FileAnnualReportHandler implements ICommandHandler<
  FileAnnualReportCommand,
  Aggregate<MembershipState>
> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  execute({ membershipId, report, principal, context }: FileAnnualReportCommand) {
    return this.aggregates
      .of(membershipDecider)
      .handle(membershipStream(membershipId), context, ({ state }) => {
        const granted = state.granted;
        if (!granted || principal.role !== 'enterprise' || principal.org !== granted.creditCode) {
          throw notFound('MEMBERSHIP_NOT_FOUND', 'no such membership');
        }
        return { type: 'FileAnnualReport', report: { ...report, filedOn: chinaDate(this.clock.now()) } };
      });
  }
}
