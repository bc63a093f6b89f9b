import { DependencyUnavailableError, reasonOf } from '@salur/config';
import type {
  AppendOptions,
  EventStore,
  EventSubscription,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamAppend,
  StreamName,
  SubscribeToAllOptions,
} from './event-store.port';

/** Tells a driver's "could not reach the server" from every other failure. */
export type UnreachableTest = (error: unknown) => boolean;

/**
 * The adapter as the ledger sees it: a failure to reach the store becomes one typed
 * DependencyUnavailableError('event-store'), which the API answers 503 EVENT_STORE_UNAVAILABLE,
 * instead of each driver's own error (a gRPC UNAVAILABLE, a pg ECONNREFUSED) reaching the caller as
 * a 500. Everything else (conflicts, limits, bugs) passes through unchanged.
 */
export function guardAvailability(store: EventStore, isUnreachable: UnreachableTest): EventStore {
  const translate = (error: unknown): unknown =>
    !(error instanceof DependencyUnavailableError) && isUnreachable(error)
      ? new DependencyUnavailableError('event-store', `${store.adapter}: ${reasonOf(error)}`, { cause: error })
      : error;
  const guarded = <T>(work: () => Promise<T>): Promise<T> =>
    work().catch((error: unknown) => {
      throw translate(error);
    });
  const appendMany = store.appendMany?.bind(store);

  return {
    adapter: store.adapter,
    append: (streamName: StreamName, events: readonly NewEvent[], options?: AppendOptions) =>
      guarded(() => store.append(streamName, events, options)),
    ...(appendMany ? { appendMany: (appends: readonly StreamAppend[]) => guarded(() => appendMany(appends)) } : {}),
    readStream: (streamName: StreamName, options?: ReadStreamOptions) =>
      translated(store.readStream(streamName, options), translate),
    readAll: (options?: ReadAllOptions) => translated(store.readAll(options), translate),
    subscribeToAll(options?: SubscribeToAllOptions): EventSubscription {
      const subscription = store.subscribeToAll(options);
      return {
        [Symbol.asyncIterator]: () => translated(subscription, translate)[Symbol.asyncIterator](),
        close: () => subscription.close(),
      };
    },
    headPosition: () => guarded(() => store.headPosition()),
    ping: () => guarded(() => store.ping()),
    close: () => store.close(),
  };
}

/** Forwards the iteration as is (no generator in between: this is the hot read path), translating failures. */
function translated(
  events: AsyncIterable<RecordedEvent>,
  translate: (error: unknown) => unknown,
): AsyncIterable<RecordedEvent> {
  const rethrow = (error: unknown): never => {
    throw translate(error);
  };
  return {
    [Symbol.asyncIterator]() {
      const inner = events[Symbol.asyncIterator]();
      return {
        next: () => inner.next().catch(rethrow),
        return: (value?: unknown) =>
          inner.return
            ? inner.return(value).catch(rethrow)
            : Promise.resolve({ done: true as const, value: undefined }),
      };
    },
  };
}
