import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomBytes } from 'node:crypto';
import { chinaDate, Clock, workingDayPeriod } from '@engine/platform';
import { applicationDecider, type ApplicationState } from '../../domain/application/application.decider';
import { applicationStream } from '../../domain/application/application.events';
import { type Aggregate, Aggregates } from '../../infrastructure/handle-command';
import { PolicyLookup } from '../policy-lookup';
import { assertCanSeeApplication, assertCityOfficer } from '../reach';
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
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  execute({
    applicationId,
    size,
    principal,
    context,
  }: DrawPanelCommand): Promise<Aggregate<ApplicationState>> {
    return this.aggregates
      .of(applicationDecider)
      .handle(applicationStream(applicationId), context, async ({ state }) => {
        const created = assertCanSeeApplication(principal, state);
        assertCityOfficer(principal, state, 'expert review');
        const { settings } = panelPolicy(this.policies, created.policyVersion);
        const due = workingDayPeriod(chinaDate(this.clock.now()), settings?.scoringWorkingDays ?? 0);
        return {
          type: 'DrawPanel',
          settings,
          ...(size !== undefined ? { size } : {}),
          pool: await candidatesFor(this.aggregates, created.creditCode, []),
          seed: randomBytes(16).toString('hex'),
          due: { endsOn: due.endsOn, provisional: due.provisional },
        };
      });
  }
}
