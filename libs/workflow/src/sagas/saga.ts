import type { Actor, StoredEvent } from '@engine/event-store';
import type { TimerSpec } from '../timers/timer-service';

/**
 * How a saga's command identifies itself: an idempotency key derived from the saga, the event
 * it reacts to and the step, so a redelivered event repeats the same command and the
 * command handler recognises it (libs/incubation/src/infrastructure/handle-command.ts).
 * Structurally the incubation CommandContext.
 */
export interface SagaCommandContext {
  actor: Actor;
  correlationId: string;
  causationId: string;
  idempotencyKey: string;
  requestHash: string;
}

/** What a saga decides in reaction to one event. */
export type SagaAction =
  | {
      kind: 'command';
      /** Names the step within the reaction (part of the idempotency key). */
      step: string;
      command: (context: SagaCommandContext) => object;
    }
  | { kind: 'schedule'; timer: TimerSpec }
  | { kind: 'cancel'; purpose: string; key: string; reason: string };

/**
 * A process manager: reacts to events with commands and timers. `react` is pure (the same
 * event always gives the same actions), which is what makes at-least-once delivery safe.
 */
export interface Saga {
  readonly name: string;
  /** Event types it reacts to. */
  readonly handles: readonly string[];
  react(event: StoredEvent): SagaAction[];
}

/** Nest token of the list of sagas the worker runs. */
export const SAGAS = Symbol('SAGAS');
