import {
  enterpriseDecider,
  type EnterpriseState,
  registerEnterprise,
  type RegisterEnterprise,
} from '../domain/enterprise/enterprise.decider';
import { type EnterpriseEvent, enterpriseStream } from '../domain/enterprise/enterprise.events';
import { EventSourcedAggregate } from './event-sourced-aggregate';

export class EnterpriseAggregate extends EventSourcedAggregate<EnterpriseState, EnterpriseEvent> {
  constructor(readonly creditCode: string) {
    super(enterpriseStream(creditCode), enterpriseDecider);
  }

  register(command: RegisterEnterprise, today: string): void {
    this.applyAll(registerEnterprise(this.state, command, today));
  }
}
