import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { ObjectionRaisedData } from '../../domain/round/round.events';
import { Aggregates } from '../../infrastructure/handle-command';
import { roundOfObjection } from '../objection-ids';
import { GetObjectionQuery, type ObjectionView } from './get-objection.query';

/** The objection with its round (for reach) and the sealed objector; undefined when unknown. */
@QueryHandler(GetObjectionQuery)
export class GetObjectionHandler implements IQueryHandler<GetObjectionQuery, ObjectionView | undefined> {
  constructor(@Inject(Aggregates) private readonly aggregates: Aggregates) {}

  async execute({ objectionId }: GetObjectionQuery): Promise<ObjectionView | undefined> {
    const roundId = roundOfObjection(objectionId);
    if (!roundId) return undefined;
    const round = await this.aggregates.round(roundId);
    const objection = round.state.objections?.find((o) => o.objectionId === objectionId);
    if (!objection) return undefined;
    const events = await this.aggregates.history(round.stream);
    const raised = events.find(
      (e) => e.type === 'ObjectionRaised' && (e.data as ObjectionRaisedData).objectionId === objectionId,
    )!.data as ObjectionRaisedData;
    return {
      round: round.state,
      raised,
      ...(objection.resolution ? { resolution: objection.resolution } : {}),
    };
  }
}
