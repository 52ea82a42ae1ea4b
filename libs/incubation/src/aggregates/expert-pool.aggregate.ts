import { expertPoolDecider, type ExpertPoolState } from '../domain/expert-pool/expert-pool.decider';
import { EXPERT_POOL_STREAM, type ExpertPoolEvent } from '../domain/expert-pool/expert-pool.events';
import { EventSourcedAggregate } from './event-sourced-aggregate';

export class ExpertPoolAggregate extends EventSourcedAggregate<ExpertPoolState, ExpertPoolEvent> {
  constructor() {
    super(EXPERT_POOL_STREAM, expertPoolDecider);
  }
}
