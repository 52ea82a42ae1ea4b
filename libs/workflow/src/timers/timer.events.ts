import { v5 as uuidv5 } from 'uuid';

/** Namespace of timer ids: the same purpose and key always give the same timer. */
const TIMER_NAMESPACE = '5d0f3e8a-7c21-4b9e-8f43-2a6b1c9d0e57';

export interface TimerScheduledData {
  timerId: string;
  /** What it is for (`response-deadline`, `publicity-end`...): the saga that reacts reads it. */
  purpose: string;
  /** The instant it falls due (ISO 8601 UTC). */
  dueAt: string;
  /** What the reaction needs (ids, dates). */
  payload: Record<string, unknown>;
}

export interface TimerFiredData extends TimerScheduledData {
  firedAt: string;
  /** `queue`: its delayed job ran; `sweep`: the periodic sweep found it due (e.g. Redis lost the job). */
  firedBy: 'queue' | 'sweep';
}

/**
 * Persisted event types of a timer's stream (`timer-<id>`). Never rename. A timer stream
 * holds TimerScheduled and then at most one of TimerFired or TimerCancelled: both are
 * appended at expected revision 0, so whichever comes first wins and the other is refused.
 */
export type TimerEvent =
  | { type: 'TimerScheduled'; data: TimerScheduledData }
  | { type: 'TimerFired'; data: TimerFiredData }
  | { type: 'TimerCancelled'; data: { timerId: string; purpose: string; reason: string } };

export const TIMER_EVENT_TYPES = ['TimerScheduled', 'TimerFired', 'TimerCancelled'] as const;
export const TIMER_STREAM_PREFIX = 'timer-';
export const timerStream = (timerId: string) => `${TIMER_STREAM_PREFIX}${timerId}`;

/** The deterministic id of the timer for `purpose` and `key` (e.g. an application id and a date). */
export function timerId(purpose: string, key: string): string {
  return uuidv5(`${purpose}\n${key}`, TIMER_NAMESPACE);
}

/** Deterministic id of one of a timer's events, so a repeated append is recognised as the same. */
export function timerEventId(id: string, type: TimerEvent['type']): string {
  return uuidv5(`${id}\n${type}`, TIMER_NAMESPACE);
}
