import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { ObjectionRaisedData } from '../../domain/round/round.events';
import { Aggregates } from '../../infrastructure/handle-command';
import { notFound } from '../../domain/shared/domain-error';
import { roundOfObjection } from '../objection-ids';
import { objectionSight } from '../reach';
import { GetObjectionQuery, type ObjectionView } from './get-objection.query';

/** The objection with its round (for reach) and the sealed objector; undefined when unknown. */
@QueryHandler(GetObjectionQuery)
export class GetObjectionHandler implements IQueryHandler<GetObjectionQuery, ObjectionView | undefined> {
  constructor(@Inject(Aggregates) private readonly aggregates: Aggregates) {}

  async execute({ objectionId, principal }: GetObjectionQuery): Promise<ObjectionView | undefined> {
    const view = await this.find(objectionId);
    if (!principal) return view;
    if (!view) throw notFound('OBJECTION_NOT_FOUND', 'no such objection');
    const application = await this.aggregates.application(view.raised.applicationId);
    const sight = objectionSight(
      principal,
      view.round.round!.jurisdiction,
      application.state.created!.jurisdiction,
    );
    return { ...view, sight };
  }

  private async find(objectionId: string): Promise<ObjectionView | undefined> {
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
