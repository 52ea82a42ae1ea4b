import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { applicationDecider, type ApplicationState } from '../../domain/application/application.decider';
import { applicationStream } from '../../domain/application/application.events';
import { type Aggregate, Aggregates } from '../../infrastructure/handle-command';
import { assertOnPanel } from '../expert-review/expert-panel.facts';
import { DeclareConflictCommand } from './declare-conflict.command';

/** An expert on the panel declares whether they have a conflict of interest, before scoring. */
@CommandHandler(DeclareConflictCommand)
export class DeclareConflictHandler implements ICommandHandler<
  DeclareConflictCommand,
  Aggregate<ApplicationState>
> {
  constructor(@Inject(Aggregates) private readonly aggregates: Aggregates) {}

  execute({ applicationId, declaration, principal, context }: DeclareConflictCommand) {
    return this.aggregates
      .of(applicationDecider)
      .handle(applicationStream(applicationId), context, ({ state }) => {
        assertOnPanel(principal, state);
        return { type: 'DeclareConflict', expertId: principal.sub, ...declaration };
      });
  }
}
