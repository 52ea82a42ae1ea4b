import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { applicationStream } from '../../domain/application/application.events';
import { applicationDecider, type ApplicationState } from '../../domain/application/application.decider';
import { type Aggregate, Aggregates } from '../../infrastructure/handle-command';
import { assertOwnsApplication } from '../reach';
import { RemoveMaterialCommand } from './remove-material.command';

/**
 * MaterialRemoved. The file stays in the blob store: the application's history names it, and
 * an auditor must still be able to read and verify what was once submitted.
 */
@CommandHandler(RemoveMaterialCommand)
export class RemoveMaterialHandler implements ICommandHandler<
  RemoveMaterialCommand,
  Aggregate<ApplicationState>
> {
  constructor(@Inject(Aggregates) private readonly aggregates: Aggregates) {}

  execute({ applicationId, materialId, principal, context }: RemoveMaterialCommand) {
    return this.aggregates
      .of(applicationDecider)
      .handle(applicationStream(applicationId), context, ({ state }) => {
        assertOwnsApplication(principal, state);
        return { type: 'RemoveMaterial', materialId };
      });
  }
}
