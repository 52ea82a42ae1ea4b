import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomBytes } from 'node:crypto';
import { workingDayPeriod } from '@engine/platform';
import type { ApplicationState } from '../../domain/application/application.decider';
import { type Aggregate, Aggregates } from '../../infrastructure/handle-command';
import { CityStage } from '../city-stage';
import { PolicyLookup } from '../policy-lookup';
import { panelPolicy, candidatesFor } from '../expert-review/expert-panel.facts';
import { DrawPanelCommand } from './draw-panel.command';

/**
 * Draws the panel at random from the pool, conflicts of interest excluded, with a fresh
 * random seed recorded in the event (domain/expert-review/panel-draw.ts says how to replay it).
 * The pool must be at least the policy's multiple of the panel size.
 */
@CommandHandler(DrawPanelCommand)
export class DrawPanelHandler implements ICommandHandler<DrawPanelCommand, Aggregate<ApplicationState>> {
  constructor(
    @Inject(CityStage) private readonly cityStage: CityStage,
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
  ) {}

  execute(command: DrawPanelCommand): Promise<Aggregate<ApplicationState>> {
    const { size } = command;
    return this.cityStage.act(command, 'expert review', async ({ state, today }) => {
      const { settings } = panelPolicy(this.policies, state.created.policyVersion);
      const due = workingDayPeriod(today, settings?.scoringWorkingDays ?? 0);
      return {
        type: 'DrawPanel',
        settings,
        ...(size !== undefined ? { size } : {}),
        pool: await candidatesFor(this.aggregates, state.created.creditCode, []),
        seed: randomBytes(16).toString('hex'),
        due: { endsOn: due.endsOn, provisional: due.provisional },
      };
    });
  }
}
