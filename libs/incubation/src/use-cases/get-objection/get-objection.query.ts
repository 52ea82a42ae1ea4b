import type { Principal } from '@engine/platform';
import type { RoundState } from '../../domain/round/round.decider';
import type { ObjectionRaisedData } from '../../domain/round/round.events';

/**
 * An objection as raised (the objector still sealed), with its round and resolution. With a
 * principal, unknown or out of reach is "no such objection" and `sight` says how much the
 * caller sees (reach.ts).
 */
export class GetObjectionQuery {
  constructor(
    readonly objectionId: string,
    readonly principal?: Principal,
  ) {}
}

/** The answer: the round (for reach), the objection as raised, its resolution once resolved. */
export interface ObjectionView {
  round: RoundState;
  raised: ObjectionRaisedData;
  resolution?: { upheld: boolean; reason: string };
  /** With a principal: the objector in full, or masked (an officer over the district only). */
  sight?: 'full' | 'masked';
}
