import type { StoredEvent } from '@engine/event-store';
import type { Saga, SagaAction, TimerFiredData } from '@engine/workflow';
import type { ApplicationEvent } from '../domain/application/application.events';
import { WithdrawForMissedDeadlineCommand } from '../use-cases/withdraw-for-missed-deadline/withdraw-for-missed-deadline.command';
import { endOfChinaDay } from './saga-time';

export const RESPONSE_DEADLINE = 'response-deadline';

type Data<T extends ApplicationEvent['type']> = Extract<ApplicationEvent, { type: T }>['data'];

const applicationId = (event: StoredEvent) => event.stream.slice('application-'.length);
const deadlineKey = (id: string, stage: string, respondBy: string) => `${id}/${stage}/${respondBy}`;

/**
 * A returned application must be resubmitted by its response deadline: returning it schedules
 * a timer for the end of that day; resubmitting cancels it; when it fires, the application is
 * withdrawn (if it is still returned: the decider checks, so a late fire changes nothing).
 */
export const deadlinesSaga: Saga = {
  name: 'deadlines',
  handles: ['ApplicationReturned', 'ApplicationSubmitted', 'TimerFired'],
  react(event): SagaAction[] {
    switch (event.type) {
      case 'ApplicationReturned': {
        const data = event.data as Data<'ApplicationReturned'>;
        const id = applicationId(event);
        return [
          {
            kind: 'schedule',
            timer: {
              purpose: RESPONSE_DEADLINE,
              key: deadlineKey(id, data.stage, data.respondBy),
              dueAt: endOfChinaDay(data.respondBy),
              payload: { applicationId: id, respondBy: data.respondBy },
            },
          },
        ];
      }
      case 'ApplicationSubmitted': {
        const data = event.data as Data<'ApplicationSubmitted'>;
        if (!data.answers) return [];
        return [
          {
            kind: 'cancel',
            purpose: RESPONSE_DEADLINE,
            key: deadlineKey(applicationId(event), data.answers.stage, data.answers.respondBy),
            reason: 'resubmitted in time',
          },
        ];
      }
      case 'TimerFired': {
        const data = event.data as TimerFiredData;
        if (data.purpose !== RESPONSE_DEADLINE) return [];
        const id = String(data.payload.applicationId);
        return [
          {
            kind: 'command',
            step: 'withdraw',
            command: (context) => new WithdrawForMissedDeadlineCommand(id, context),
          },
        ];
      }
      default:
        return [];
    }
  },
};
