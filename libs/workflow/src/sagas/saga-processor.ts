import { createHash } from 'node:crypto';
import type { StoredEvent } from '@engine/event-store';
import type { EventProcessor } from '../processor/event-processor';
import type { TimerService } from '../timers/timer-service';
import type { Saga, SagaAction, SagaCommandContext } from './saga';

/** Sends a command on the bus (Nest's CommandBus.execute). */
export type SendCommand = (command: object) => Promise<unknown>;

/** Errors that are a decision, not a failure: the command no longer applies (a race lost). */
export type IsDecision = (error: unknown) => boolean;

/**
 * Carries out a saga's actions for one event, in order. A command refused by a business rule
 * or a state conflict (the world moved on: the application was resubmitted before its
 * deadline timer fired) is a decision and is logged, not retried; anything else is a failure
 * the runner retries and, in the end, parks.
 */
export class SagaProcessor implements EventProcessor {
  readonly filter;
  readonly startFrom = 'beginning' as const;

  constructor(
    private readonly saga: Saga,
    private readonly send: SendCommand,
    private readonly timers: TimerService,
    private readonly isDecision: IsDecision,
    private readonly onDeclined: (saga: string, event: StoredEvent, step: string, error: unknown) => void,
  ) {
    this.filter = { types: saga.handles };
  }

  get name(): string {
    return `saga:${this.saga.name}`;
  }

  async handle(event: StoredEvent): Promise<void> {
    for (const action of this.saga.react(event)) await this.perform(action, event);
  }

  private async perform(action: SagaAction, event: StoredEvent): Promise<void> {
    const cause = {
      correlationId: event.metadata.correlationId,
      causationId: event.id,
      actor: { sub: this.name, role: 'system' },
    };
    switch (action.kind) {
      case 'schedule':
        await this.timers.schedule(action.timer, cause);
        return;
      case 'cancel':
        await this.timers.cancel(action.purpose, action.key, action.reason, cause);
        return;
      case 'command': {
        const key = `${this.name}/${event.id}/${action.step}`;
        const context: SagaCommandContext = {
          ...cause,
          idempotencyKey: key,
          requestHash: createHash('sha256').update(key).digest('hex'),
        };
        try {
          await this.send(action.command(context));
        } catch (error) {
          if (!this.isDecision(error)) throw error;
          this.onDeclined(this.saga.name, event, action.step, error);
        }
      }
    }
  }
}
