import type { StoredEvent } from '@engine/event-store';
import type { Saga, SagaAction, TimerFiredData } from '@engine/workflow';
import type { PublicityStartedData, RoundEvent, RoundFinalizedData } from '../domain/round/round.events';
import { AdmitApplicationCommand } from '../use-cases/admit-application/admit-application.command';
import { FinalizeRoundCommand } from '../use-cases/finalize-round/finalize-round.command';
import { ForwardToMinistryCommand } from '../use-cases/forward-to-ministry/forward-to-ministry.command';
import { PubliciseApplicationCommand } from '../use-cases/publicise-application/publicise-application.command';
import { RejectApplicationCommand } from '../use-cases/reject-application/reject-application.command';
import { endOfChinaDay } from './saga-time';

export const PUBLICITY_END = 'publicity-end';

type Data<T extends RoundEvent['type']> = Extract<RoundEvent, { type: T }>['data'];
const roundId = (event: StoredEvent) => event.stream.slice('round-'.length);

/**
 * Publicity to final list: publishing puts every listed application in publicity and sets a
 * timer for the end of the period; an upheld objection rejects its application; when the
 * period is over the round is finalized, by the timer or, if an objection was still open
 * then, by the last resolution. Finalization admits the rest (or forwards them to the ministry).
 */
export const publicitySaga: Saga = {
  name: 'publicity',
  handles: ['PublicityStarted', 'ObjectionResolved', 'RoundFinalized', 'TimerFired'],
  react(event): SagaAction[] {
    switch (event.type) {
      case 'PublicityStarted': {
        const data = event.data as PublicityStartedData;
        const id = roundId(event);
        return [
          ...data.proposed.map((entry): SagaAction => ({
            kind: 'command',
            step: `publicise/${entry.applicationId}`,
            command: (c) =>
              new PubliciseApplicationCommand(
                entry.applicationId,
                {
                  roundId: id,
                  startsOn: data.startsOn,
                  endsOn: data.endsOn,
                  provisional: data.provisional ?? false,
                },
                c,
              ),
          })),
          {
            kind: 'schedule',
            timer: {
              purpose: PUBLICITY_END,
              key: `${id}/${data.endsOn}`,
              dueAt: endOfChinaDay(data.endsOn),
              payload: { roundId: id },
            },
          },
        ];
      }
      case 'ObjectionResolved': {
        const data = event.data as Data<'ObjectionResolved'>;
        const id = roundId(event);
        return [
          ...(data.upheld
            ? [
                {
                  kind: 'command',
                  step: 'reject',
                  command: (c) =>
                    new RejectApplicationCommand(
                      data.applicationId,
                      'publicity',
                      `objection upheld: ${data.reason}`,
                      c,
                    ),
                } satisfies SagaAction,
              ]
            : []),
          // Publicity may have ended while this objection was open: finalize now if so.
          { kind: 'command', step: 'finalize', command: (c) => new FinalizeRoundCommand(id, undefined, c) },
        ];
      }
      case 'RoundFinalized': {
        const data = event.data as RoundFinalizedData;
        const id = roundId(event);
        return [
          ...data.admitted.map((entry): SagaAction => ({
            kind: 'command',
            step: `${data.outcome}/${entry.applicationId}`,
            command: (c) =>
              data.outcome === 'admit'
                ? new AdmitApplicationCommand(entry.applicationId, id, data.finalizedOn, c)
                : new ForwardToMinistryCommand(entry.applicationId, id, c),
          })),
          ...(data.overQuota ?? []).map((entry): SagaAction => ({
            kind: 'command',
            step: `over-quota/${entry.applicationId}`,
            command: (c) =>
              new RejectApplicationCommand(
                entry.applicationId,
                'final',
                `over the round's quota (score ${entry.score ?? '-'}; ties: ${data.quotaTieBreak})`,
                c,
              ),
          })),
        ];
      }
      case 'TimerFired': {
        const data = event.data as TimerFiredData;
        if (data.purpose !== PUBLICITY_END) return [];
        const id = String(data.payload.roundId);
        return [
          { kind: 'command', step: 'finalize', command: (c) => new FinalizeRoundCommand(id, undefined, c) },
        ];
      }
      default:
        return [];
    }
  },
};
