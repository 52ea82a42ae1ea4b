import type { RoundState } from '../../domain/round/round.decider';
import type { ObjectionRaisedData } from '../../domain/round/round.events';

/** An objection as raised (the objector still sealed), with its round and resolution. */
export class GetObjectionQuery {
  constructor(readonly objectionId: string) {}
}

/** The answer: the round (for reach), the objection as raised, its resolution once resolved. */
export interface ObjectionView {
  round: RoundState;
  raised: ObjectionRaisedData;
  resolution?: { upheld: boolean; reason: string };
}
