import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { chinaDate, Clock, PersonalDataVault } from '@engine/platform';
import { Aggregates, type Aggregate } from '../../infrastructure/handle-command';
import { assertMayRegisterEnterprise } from '../reach';
import { RegisterEnterpriseCommand } from './register-enterprise.command';
import { enterpriseDecider, type EnterpriseState } from '../../domain/enterprise/enterprise.decider';
import { enterpriseStream } from '../../domain/enterprise/enterprise.events';

@CommandHandler(RegisterEnterpriseCommand)
export class RegisterEnterpriseHandler implements ICommandHandler<
  RegisterEnterpriseCommand,
  Aggregate<EnterpriseState>
> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
  ) {}

  async execute({
    enterprise,
    principal,
    context,
  }: RegisterEnterpriseCommand): Promise<Aggregate<EnterpriseState>> {
    assertMayRegisterEnterprise(principal, enterprise);
    const { contact, ...rest } = enterprise;
    // The contact person is personal data: sealed under the person's own key before it is
    // recorded, so `forget` can make it unreadable (docs/privacy.md).
    const sealed = contact
      ? await this.vault.seal(
          contact.email
            ? this.vault.subjectFor('email', contact.email.toLowerCase())
            : contact.phone
              ? this.vault.subjectFor('phone', contact.phone.replace(/^\+?86/, ''))
              : this.vault.subjectFor('email', `${enterprise.creditCode}/${contact.name}`),
          { ...contact },
        )
      : undefined;
    return this.aggregates
      .of(enterpriseDecider)
      .handle(enterpriseStream(enterprise.creditCode), context, () => ({
        type: 'RegisterEnterprise',
        data: { ...rest, ...(sealed ? { contact: sealed } : {}) },
        today: chinaDate(this.clock.now()),
      }));
  }
}
