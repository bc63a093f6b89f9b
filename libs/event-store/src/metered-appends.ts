import type { AppendOptions, EventStore, NewEvent, StreamAppend, StreamName } from './event-store.port';

/** Told after every append that the store accepted: how many events, how many bytes of JSON. */
export type AppendMeter = (adapter: EventStore['adapter'], events: number, bytes: number) => void;

/**
 * The store with its successful appends counted, for the metrics (events and bytes written). Only
 * appends are wrapped; reads pass straight through. Bytes are the events' data and metadata as
 * JSON, as every adapter stores them, so the figure means the same on each.
 */
export function meterAppends(store: EventStore, meter: AppendMeter): EventStore {
  const appendMany = store.appendMany?.bind(store);
  const counted = (events: readonly NewEvent[]): void => meter(store.adapter, events.length, bytesOf(events));
  return {
    adapter: store.adapter,
    append: async (streamName: StreamName, events: readonly NewEvent[], options?: AppendOptions) => {
      const result = await store.append(streamName, events, options);
      counted(events);
      return result;
    },
    ...(appendMany
      ? {
          appendMany: async (appends: readonly StreamAppend[]) => {
            const results = await appendMany(appends);
            counted(appends.flatMap((append) => append.events));
            return results;
          },
        }
      : {}),
    readStream: (streamName, options) => store.readStream(streamName, options),
    readAll: (options) => store.readAll(options),
    subscribeToAll: (options) => store.subscribeToAll(options),
    headPosition: () => store.headPosition(),
    ping: () => store.ping(),
    close: () => store.close(),
  };
}

function bytesOf(events: readonly NewEvent[]): number {
  let bytes = 0;
  for (const event of events) {
    bytes += Buffer.byteLength(JSON.stringify(event.data));
    if (event.metadata !== undefined) bytes += Buffer.byteLength(JSON.stringify(event.metadata));
  }
  return bytes;
}
