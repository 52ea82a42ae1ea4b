import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { applicationDecider } from '../../domain/application/application.decider';
import { applicationStream } from '../../domain/application/application.events';
import { Aggregates } from '../../infrastructure/handle-command';
import { admissionFor } from '../admission-terms';
import { PolicyLookup } from '../policy-lookup';
import { AdmitApplicationCommand } from './admit-application.command';

@CommandHandler(AdmitApplicationCommand)
export class AdmitApplicationHandler implements ICommandHandler<AdmitApplicationCommand> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
  ) {}
  async execute({ applicationId, admittedOn, context }: AdmitApplicationCommand): Promise<void> {
    await this.aggregates
      .of(applicationDecider)
      .handle(applicationStream(applicationId), context, async ({ state }) => {
        if (state.status === 'admitted' || !state.exists) return undefined;
        const policy = this.policies.pinned(state.created.policyVersion);
        return { type: 'Admit', admission: await admissionFor(this.aggregates, policy, state, admittedOn) };
      });
  }
}
