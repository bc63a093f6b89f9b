import type { DomainEvent } from './domain-event';
import type { EventRegistry } from './event-registry';

/**
 * One aggregate's rules: decide turns a command and the current state into new facts (or
 * throws a DomainError), evolve folds a fact into the state. Both are pure.
 */
export interface Decider<Command, State, Event extends DomainEvent> {
  readonly initialState: State;
  /** The events its stream holds: how a recorded event is read back (and upcast) before evolve. */
  readonly events: EventRegistry<Event>;
  decide(command: Command, state: State): readonly Event[];
  evolve(state: State, event: Event): State;
}

export function fold<State, Event extends DomainEvent>(
  decider: Pick<Decider<unknown, State, Event>, 'initialState' | 'evolve'>,
  events: Iterable<Event>,
): State {
  let state = decider.initialState;
  for (const event of events) state = decider.evolve(state, event);
  return state;
}
