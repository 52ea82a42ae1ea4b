import { membershipDecider, type MembershipState } from '../domain/membership/membership.decider';
import { type MembershipEvent, membershipStream } from '../domain/membership/membership.events';
import { EventSourcedAggregate } from './event-sourced-aggregate';

export class MembershipAggregate extends EventSourcedAggregate<MembershipState, MembershipEvent> {
  constructor(readonly membershipId: string) {
    super(membershipStream(membershipId), membershipDecider);
  }
}
