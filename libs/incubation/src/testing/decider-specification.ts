import { DomainError } from '../domain/shared/domain-error';
import type { Decider, DomainEvent } from '../domain/shared/domain-event';

/**
 * Given/when/then for a pure decider (the Emmett project's DeciderSpecification):
 * `DeciderSpecification.for(decider).given(events).when(command).then(events)`, or
 * `.then('ERROR_CODE')` for a refusal (a DomainError carrying that code).
 */
export const DeciderSpecification = {
  for<State, Command, Event extends DomainEvent>(decider: Decider<State, Command, Event>) {
    return {
      given(events: readonly Event[]) {
        return {
          when(command: Command) {
            const decide = () =>
              decider.decide(command, events.reduce(decider.evolve, decider.initialState()));
            return {
              then(expected: readonly Event[] | string): void {
                if (typeof expected !== 'string') {
                  expect(decide()).toEqual(expected);
                  return;
                }
                let refusal: unknown;
                try {
                  decide();
                } catch (error) {
                  refusal = error;
                }
                expect(refusal).toBeInstanceOf(DomainError);
                expect((refusal as DomainError).code).toBe(expected);
              },
            };
          },
        };
      },
    };
  },
};
