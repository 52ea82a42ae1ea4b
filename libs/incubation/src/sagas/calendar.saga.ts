import type { StoredEvent } from '@engine/event-store';
import type { Saga, SagaAction } from '@engine/workflow';
import type { DeadlineRecomputedData } from '../domain/application/application.events';
import type { CalendarArrangementInstalledData } from '../use-cases/record-calendar-install/calendar-install-recorder';
import { RecomputeProvisionalDeadlinesCommand } from '../use-cases/recompute-provisional-deadlines/recompute-provisional-deadlines.command';
import { RESPONSE_DEADLINE } from './deadlines.saga';
import { EXPERT_OVERDUE, EXPERT_REMINDER, expertTimers } from './expert-review.saga';
import { PUBLICITY_END } from './publicity.saga';
import { endOfChinaDay } from './saga-time';

/**
 * When a year's holiday arrangement is installed (calendar/<year>.yaml, recorded at boot as
 * `CalendarArrangementInstalled`), every open deadline counted without it is counted again
 * (`DeadlineRecomputed`, beside the first date in the history), and the timers of each moved
 * deadline are moved with it: the old one cancelled, the new one scheduled.
 */
export const calendarSaga: Saga = {
  name: 'calendar',
  handles: ['CalendarArrangementInstalled', 'DeadlineRecomputed'],
  react(event: StoredEvent): SagaAction[] {
    if (event.type === 'CalendarArrangementInstalled') {
      const data = event.data as CalendarArrangementInstalledData;
      return [
        {
          kind: 'command',
          step: 'recompute',
          command: (c) =>
            new RecomputeProvisionalDeadlinesCommand({ year: data.year, digest: data.digest }, c),
        },
      ];
    }
    const data = event.data as DeadlineRecomputedData;
    if (data.previous === data.recomputed) return [];
    const reason = `recomputed on the ${data.calendar.year} holiday arrangement`;
    if (event.stream.startsWith('round-') && data.deadline === 'publicity-end') {
      const id = event.stream.slice('round-'.length);
      return [
        { kind: 'cancel', purpose: PUBLICITY_END, key: `${id}/${data.previous}`, reason },
        {
          kind: 'schedule',
          timer: {
            purpose: PUBLICITY_END,
            key: `${id}/${data.recomputed}`,
            dueAt: endOfChinaDay(data.recomputed),
            payload: { roundId: id },
          },
        },
      ];
    }
    if (!event.stream.startsWith('application-')) return [];
    const id = event.stream.slice('application-'.length);
    if (data.deadline === 'response' && data.stage) {
      return [
        { kind: 'cancel', purpose: RESPONSE_DEADLINE, key: `${id}/${data.stage}/${data.previous}`, reason },
        {
          kind: 'schedule',
          timer: {
            purpose: RESPONSE_DEADLINE,
            key: `${id}/${data.stage}/${data.recomputed}`,
            dueAt: endOfChinaDay(data.recomputed),
            payload: { applicationId: id, respondBy: data.recomputed },
          },
        },
      ];
    }
    if (data.deadline === 'expert-scoring' && data.expertId) {
      const old = `${id}/${data.expertId}/${data.previous}`;
      return [
        { kind: 'cancel', purpose: EXPERT_REMINDER, key: old, reason },
        { kind: 'cancel', purpose: EXPERT_OVERDUE, key: old, reason },
        ...expertTimers(id, data.expertId, data.recomputed),
      ];
    }
    return [];
  },
};
