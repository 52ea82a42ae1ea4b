import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { ApplicationState } from '../../domain/application/application.decider';
import type { Aggregate } from '../../infrastructure/handle-command';
import { CityStage } from '../city-stage';
import { RecordFinanceOpinionCommand } from './record-finance-opinion.command';

/**
 * The finance bureau's opinion on a tech-retrofit project, recorded by the city. An approval
 * grants at most the cap of the policy (domain/policies/financing.ts: the same computation as
 * the eligibility rule `financing-within-cap`) and at most what the enterprise asked for, for at
 * most the policy's term, at the rate the policy sets on the day of the opinion (a promotional
 * window wins over the default rate); the bank's rate, when stated, gives the yearly interest
 * subsidy (贴息) the city budget owes.
 */
@CommandHandler(RecordFinanceOpinionCommand)
export class RecordFinanceOpinionHandler implements ICommandHandler<
  RecordFinanceOpinionCommand,
  Aggregate<ApplicationState>
> {
  constructor(@Inject(CityStage) private readonly cityStage: CityStage) {}

  execute(command: RecordFinanceOpinionCommand) {
    const { opinion } = command;
    return this.cityStage.act(command, 'the finance opinion', ({ policy, today }) => ({
      type: 'RecordFinanceOpinion',
      approved: opinion.approved,
      opinion: opinion.opinion,
      ...(opinion.financing ? { asked: opinion.financing } : {}),
      terms: policy.financing,
      today,
    }));
  }
}
