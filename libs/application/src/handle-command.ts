import { randomUUID } from 'node:crypto';
import {
  EventStore,
  ExpectedRevision,
  GlobalPosition,
  JsonObject,
  StreamName,
  WrongExpectedRevisionError,
} from '@salur/event-store';
import type { Decider, DomainEvent } from '@salur/kernel';
import { requireDomainEvent } from './to-domain-event';

/** Attempts of one command when another writer keeps changing the stream under it. */
export const MAX_COMMAND_ATTEMPTS = 8;
/** Writers that lost a race wait a random while before deciding again, so they stop colliding. */
const RETRY_BACKOFF_BASE_MS = 4;
const RETRY_BACKOFF_MAX_MS = 250;

export interface CommandOutcome<State, Event extends DomainEvent> {
  /** The new facts; empty when the outcome had already happened (an idempotent retry). */
  readonly events: readonly Event[];
  /** The state after the new facts. */
  readonly state: State;
  /** The stream's last revision (-1 if it does not exist). */
  readonly revision: number;
  /** Global position of the last event written; undefined when nothing was written. */
  readonly position: GlobalPosition | undefined;
}

export interface StreamState<State> {
  readonly state: State;
  readonly revision: number;
}

/**
 * Folds a stream into its state; a missing stream is the decider's initial state at revision -1.
 * Each event is read through the decider's registry (upcast if older); one it does not list is a
 * bug and throws, since skipping it would fold the stream wrongly.
 */
export async function loadStream<State, Event extends DomainEvent>(
  store: EventStore,
  streamName: StreamName,
  decider: Pick<Decider<unknown, State, Event>, 'initialState' | 'evolve' | 'events'>,
): Promise<StreamState<State>> {
  let state = decider.initialState;
  let revision = -1;
  for await (const recorded of store.readStream(streamName)) {
    state = decider.evolve(state, requireDomainEvent(recorded, decider.events));
    revision = recorded.revision;
  }
  return { state, revision };
}

/**
 * The whole command path, the same for every aggregate: load and fold the stream, decide,
 * append with the revision that was read. If another writer got there first, the store refuses
 * the append and the command is decided again on the fresher state, a bounded number of times.
 * The command may be a function of the state, for commands that need to read it (or, from it,
 * other streams) first; it runs again on every attempt.
 */
export interface HandleCommandOptions<State, Event extends DomainEvent> {
  readonly metadata: JsonObject;
  /**
   * Runs after a decision and before its append, on every attempt: the place for a step in
   * another stream that must happen first (reserving budget before an approval is recorded).
   * It must be idempotent, since a lost race runs it again.
   */
  readonly beforeAppend?: (events: readonly Event[], state: State) => Promise<void>;
}

export async function handleCommand<Command, State, Event extends DomainEvent>(
  store: EventStore,
  streamName: StreamName,
  decider: Decider<Command, State, Event>,
  command: Command | ((state: State) => Command | Promise<Command>),
  options: HandleCommandOptions<State, Event>,
): Promise<CommandOutcome<State, Event>> {
  for (let attempt = 1; ; attempt++) {
    const { state, revision } = await loadStream(store, streamName, decider);
    const decided =
      typeof command === 'function' ? await (command as (state: State) => Command | Promise<Command>)(state) : command;
    const events = decider.decide(decided, state);
    if (events.length === 0) return { events, state, revision, position: undefined };
    await options.beforeAppend?.(events, state);
    const expectedRevision: ExpectedRevision = revision === -1 ? 'no_stream' : revision;
    try {
      const appended = await store.append(
        streamName,
        events.map((event) => ({
          id: randomUUID(),
          type: event.type,
          data: event.data as JsonObject,
          metadata: options.metadata,
        })),
        { expectedRevision },
      );
      return {
        events,
        state: events.reduce(decider.evolve, state),
        revision: appended.nextExpectedRevision,
        position: appended.position,
      };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError) || attempt >= MAX_COMMAND_ATTEMPTS) throw error;
      await backOff(attempt);
    }
  }
}

/** Full jitter: a random wait below an exponentially growing, capped bound. */
function backOff(attempt: number): Promise<void> {
  const boundMs = Math.min(RETRY_BACKOFF_MAX_MS, RETRY_BACKOFF_BASE_MS * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * boundMs));
}
