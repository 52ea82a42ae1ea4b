import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { applicationDecider, type ApplicationState } from '../../domain/application/application.decider';
import { applicationStream } from '../../domain/application/application.events';
import { type Aggregate, Aggregates } from '../../infrastructure/handle-command';
import { PolicyLookup } from '../policy-lookup';
import { panelPolicy, assertOnPanel } from '../expert-review/expert-panel.facts';
import { ScoreApplicationCommand } from './score-application.command';

/** An expert scores; the last score of the panel concludes the review. */
@CommandHandler(ScoreApplicationCommand)
export class ScoreApplicationHandler implements ICommandHandler<
  ScoreApplicationCommand,
  Aggregate<ApplicationState>
> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
  ) {}

  execute({ applicationId, score, comment, principal, context, indicators }: ScoreApplicationCommand) {
    return this.aggregates
      .of(applicationDecider)
      .handle(applicationStream(applicationId), context, ({ state }) => {
        const created = assertOnPanel(principal, state);
        const { settings, next } = panelPolicy(this.policies, created.policyVersion);
        return {
          type: 'ScoreApplication',
          expertId: principal.sub,
          score,
          indicators,
          comment,
          settings,
          next,
        };
      });
  }
}
