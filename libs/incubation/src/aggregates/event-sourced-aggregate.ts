import type { Type } from '@nestjs/common';
import { AggregateRoot, type IEventHandler } from '@nestjs/cqrs';
import type { Decider, DomainEvent } from '../domain/shared/domain-event';

/**
 * The @nestjs/cqrs AggregateRoot shell around a pure decider (domain/). Events are applied by
 * their stable `type` string, never by class name; every event, from history or new, goes
 * through the decider's `evolve`, so state can only change the way replay changes it.
 */
export abstract class EventSourcedAggregate<State, Event extends DomainEvent> extends AggregateRoot<Event> {
  private current: State;
  /** Revision of the last stored event folded in; -1 for a new stream. */
  revision = -1;

  protected constructor(
    readonly stream: string,
    private readonly decider: Decider<State, Event>,
  ) {
    super();
    this.current = decider.initialState();
  }

  get state(): Readonly<State> {
    return this.current;
  }

  /**
   * Runs a decision of the pure decider (domain/) on the current state and applies what it
   * decided. For use cases whose decision takes more than the aggregate's own methods say.
   */
  decide(decision: (state: Readonly<State>) => Event[]): void {
    this.applyAll(decision(this.current));
  }

  /** Applies decided events: they become uncommitted events and update the state. */
  protected applyAll(events: Event[]): void {
    for (const event of events) this.apply(event);
  }

  protected override getEventName(event: Event): string {
    return event.type;
  }

  // AggregateRoot.apply() calls the returned function with the event; its declared type says
  // "class" for historical reasons, while the runtime contract is "function called with the event".
  protected override getEventHandler(): Type<IEventHandler> | undefined {
    return this.evolveOne as unknown as Type<IEventHandler>;
  }

  private readonly evolveOne = (event: Event): void => {
    this.current = this.decider.evolve(this.current, event);
  };
}
