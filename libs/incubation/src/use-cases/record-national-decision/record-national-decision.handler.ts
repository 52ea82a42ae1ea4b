import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { ApplicationState } from '../../domain/application/application.decider';
import { type Aggregate, Aggregates } from '../../infrastructure/handle-command';
import { admissionFor } from '../admission-terms';
import { CityStage } from '../city-stage';
import { RecordNationalDecisionCommand } from './record-national-decision.command';

/** The local bureau records the ministry's decision on a little giant recommended to it. */
@CommandHandler(RecordNationalDecisionCommand)
export class RecordNationalDecisionHandler implements ICommandHandler<
  RecordNationalDecisionCommand,
  Aggregate<ApplicationState>
> {
  constructor(
    @Inject(CityStage) private readonly cityStage: CityStage,
    @Inject(Aggregates) private readonly aggregates: Aggregates,
  ) {}

  execute(command: RecordNationalDecisionCommand) {
    const { decision } = command;
    return this.cityStage.act(command, "the ministry's decision", async ({ state, policy, today }) => ({
      type: 'RecordNationalDecision',
      decision,
      admission: await admissionFor(this.aggregates, policy, state, today),
    }));
  }
}
