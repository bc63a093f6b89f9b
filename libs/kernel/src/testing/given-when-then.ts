import type { Decider } from '../domain/decider';
import type { DomainEvent } from '../domain/domain-event';

/**
 * given(events).when(command).then(events) for a decider, as in Emmett's testing guide:
 * the state is only ever built by folding past facts, exactly as the handlers do.
 */
export function specFor<Command, State, Event extends DomainEvent>(decider: Decider<Command, State, Event>) {
  return (given: readonly Event[]) => ({
    when: (command: Command) => {
      const decide = () => {
        const state = given.reduce(decider.evolve, decider.initialState);
        return decider.decide(command, state);
      };
      return {
        then: (expected: readonly Event[]) => expect(decide()).toEqual(expected),
        thenNothingHappens: () => expect(decide()).toEqual([]),
        thenThrows: (expected: { code: string; kind?: string; field?: string }) => {
          let thrown: unknown;
          try {
            decide();
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toMatchObject(expected);
        },
      };
    },
  });
}
