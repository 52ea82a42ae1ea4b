import { closeRound, createRound, roundDecider, type RoundState } from '../domain/round/round.decider';
import { type RoundEvent, type RoundOpenedData, roundStream } from '../domain/round/round.events';
import { EventSourcedAggregate } from './event-sourced-aggregate';

export class RoundAggregate extends EventSourcedAggregate<RoundState, RoundEvent> {
  constructor(readonly roundId: string) {
    super(roundStream(roundId), roundDecider);
  }

  create(command: RoundOpenedData, now: Date): void {
    this.applyAll(createRound(this.state, command, now));
  }

  close(now: Date, reason: string): void {
    this.applyAll(closeRound(this.state, now, reason));
  }
}
