/** A domain event before it is stored: a stable type name and its data. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
}

/**
 * A decider (the shape of the Emmett project's): the state a new stream starts in, how an
 * event changes the state, and the pure decision of a command on a state: the events it
 * produces, or a DomainError refusing it. Every fact a decision needs travels in the command.
 */
export interface Decider<State, Command, Event extends DomainEvent> {
  initialState(): State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State): Event[];
}

export function fold<State, Event extends DomainEvent>(
  decider: Pick<Decider<State, never, Event>, 'initialState' | 'evolve'>,
  events: readonly Event[],
): State {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState());
}

/** For the exhaustive switch of a decide: a command type the switch forgot fails to compile. */
export function unknownCommand(command: never): never {
  throw new Error(`unknown command ${JSON.stringify(command)}`);
}
