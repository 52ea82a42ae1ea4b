import type { StoredEvent } from '@engine/event-store';
import { addWorkingDays, type IsoDate } from '@engine/platform';
import type { Saga, SagaAction, TimerFiredData } from '@engine/workflow';
import type {
  ExpertConflictDeclaredData,
  ExpertPanelDrawnData,
  ExpertReplacedData,
} from '../domain/application/application.events';
import { RemindExpertCommand } from '../use-cases/remind-expert/remind-expert.command';
import { ReplaceConflictedExpertCommand } from '../use-cases/replace-conflicted-expert/replace-conflicted-expert.command';
import { ReplaceOverdueExpertCommand } from '../use-cases/replace-overdue-expert/replace-overdue-expert.command';
import { endOfChinaDay, startOfChinaDay } from './saga-time';

export const EXPERT_REMINDER = 'expert-reminder';
export const EXPERT_OVERDUE = 'expert-overdue';

const applicationId = (event: StoredEvent) => event.stream.slice('application-'.length);

/** The working day before `dueOn` (the reminder goes out at its start). */
function dayBefore(dueOn: string): string {
  // addWorkingDays(-1) is not offered: step back over the calendar until one working day separates them.
  for (let back = 1; back <= 30; back++) {
    const candidate = new Date(Date.parse(`${dueOn}T00:00:00Z`) - back * 86_400_000)
      .toISOString()
      .slice(0, 10);
    if (addWorkingDays(candidate as IsoDate, 1) === dueOn) return candidate;
  }
  return dueOn;
}

/** The reminder and overdue timers of an expert's seat due on `dueOn`. */
export function expertTimers(id: string, expertId: string, dueOn: string): SagaAction[] {
  const key = `${id}/${expertId}/${dueOn}`;
  return [
    {
      kind: 'schedule',
      timer: {
        purpose: EXPERT_REMINDER,
        key,
        dueAt: startOfChinaDay(dayBefore(dueOn)),
        payload: { applicationId: id, expertId },
      },
    },
    {
      kind: 'schedule',
      timer: {
        purpose: EXPERT_OVERDUE,
        key,
        dueAt: endOfChinaDay(dueOn),
        payload: { applicationId: id, expertId },
      },
    },
  ];
}

/**
 * An expert who declares a conflict of interest is replaced at once by a fresh draw.
 * Each expert drawn has until the panel's due date: a reminder one working day before it, and
 * after it a fresh draw takes the seat of an expert who has not scored. A score cancels both
 * timers of that expert.
 */
export const expertReviewSaga: Saga = {
  name: 'expert-review',
  handles: [
    'ExpertPanelDrawn',
    'ExpertReplaced',
    'ExpertConflictDeclared',
    'ExpertScoreSubmitted',
    'TimerFired',
  ],
  react(event): SagaAction[] {
    switch (event.type) {
      case 'ExpertPanelDrawn': {
        const data = event.data as ExpertPanelDrawnData;
        return data.experts.flatMap((expertId) => expertTimers(applicationId(event), expertId, data.dueOn));
      }
      case 'ExpertReplaced': {
        const data = event.data as ExpertReplacedData;
        return expertTimers(applicationId(event), data.replacement, data.dueOn);
      }
      case 'ExpertConflictDeclared': {
        // A declared conflict asks for a replacement at once (the overdue expert's draw).
        const data = event.data as ExpertConflictDeclaredData;
        if (!data.conflict) return [];
        const id = applicationId(event);
        return [
          {
            kind: 'command',
            step: `replace-conflicted/${data.expertId}`,
            command: (c) => new ReplaceConflictedExpertCommand(id, data.expertId, c),
          },
        ];
      }
      case 'ExpertScoreSubmitted': {
        // The key needs the expert's due date, which the score does not carry: cancel by what
        // the timers check anyway (a fired timer finds the score and does nothing).
        return [];
      }
      case 'TimerFired': {
        const data = event.data as TimerFiredData;
        const id = String(data.payload.applicationId);
        const expertId = String(data.payload.expertId);
        if (data.purpose === EXPERT_REMINDER) {
          return [
            { kind: 'command', step: 'remind', command: (c) => new RemindExpertCommand(id, expertId, c) },
          ];
        }
        if (data.purpose === EXPERT_OVERDUE) {
          return [
            {
              kind: 'command',
              step: 'replace',
              command: (c) => new ReplaceOverdueExpertCommand(id, expertId, c),
            },
          ];
        }
        return [];
      }
      default:
        return [];
    }
  },
};
