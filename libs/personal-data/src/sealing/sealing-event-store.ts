import {
  readBatches,
  type AppendOptions,
  type AppendResult,
  type BatchLimits,
  type EventStore,
  type EventStoreLens,
  type EventSubscription,
  type JsonObject,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamAppend,
  type StreamName,
  type SubscribeToAllOptions,
} from '@salur/event-store';
import type { PersonalDataFields } from '@salur/kernel';
import { SqlPersonalDataKeyStore } from './key-store';
import type { PersonalDataConfig } from './personal-data.config';
import { PersonalDataVault } from './personal-data-vault';

/** Events opened per key lookup on a read: one query for the keys of a whole page. */
const EVENTS_PER_OPENING = 500;
/**
 * A subscription's events are opened as they come, but those it already holds (a catch-up reads
 * pages) together: one key look-up for them, not one per event. A live event is opened alone at
 * once (readBatches closes a batch when the next event is not ready); the delay bounds only how
 * long a run of ready events may gather.
 */
const SUBSCRIPTION_OPENING: BatchLimits = { maxEvents: EVENTS_PER_OPENING, maxDelayMs: 20 };
/** Streams whose first event's data is remembered (a payment stream's beneficiary). */
const REMEMBERED_FIRST_EVENTS = 10_000;

/**
 * The event store as the ledger sees it: personal data sealed on the way in, opened on the way
 * out. The adapter below (and so the Merkle log, whose leaves are the stored bytes) never sees a
 * clear NIK, KK, name, account or officer's reason. Everything else passes through unchanged.
 */
export class SealingEventStore implements EventStore {
  readonly appendMany?: (appends: readonly StreamAppend[]) => Promise<AppendResult[]>;
  private readonly firstEvents = new Map<string, JsonObject>();

  constructor(
    private readonly raw: EventStore,
    private readonly vault: PersonalDataVault,
    /** Also closed with the store, when the store owns it (a CLI command's key store). */
    private readonly alsoClose?: () => Promise<void>,
    /** How a subscription gathers the events it holds for one key look-up (tests widen the delay). */
    private readonly subscriptionOpening: BatchLimits = SUBSCRIPTION_OPENING,
  ) {
    const rawAppendMany = raw.appendMany?.bind(raw);
    if (rawAppendMany !== undefined) {
      this.appendMany = async (appends) => {
        // One key look-up (and creation) for the subjects of all the streams, not one per stream.
        const sealed = await this.vault.sealAppends(appends, (stream) => this.firstEventOf(stream));
        return rawAppendMany(appends.map((append, index) => ({ ...append, events: sealed[index] })));
      };
    }
  }

  get adapter(): EventStore['adapter'] {
    return this.raw.adapter;
  }

  async append(streamName: StreamName, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    return this.raw.append(streamName, await this.seal(streamName, events), options);
  }

  private seal(streamName: StreamName, events: readonly NewEvent[]): Promise<NewEvent[]> {
    return this.vault.sealEvents(streamName, events, (stream) => this.firstEventOf(stream));
  }

  /** The stream's first event's data as stored (names are never sealed), from memory when known. */
  private async firstEventOf(streamName: StreamName): Promise<JsonObject | undefined> {
    const known = this.firstEvents.get(streamName);
    if (known !== undefined) return known;
    for await (const event of this.raw.readStream(streamName, { maxCount: 1 })) {
      if (this.firstEvents.size >= REMEMBERED_FIRST_EVENTS) {
        this.firstEvents.delete(this.firstEvents.keys().next().value as string);
      }
      this.firstEvents.set(streamName, event.data);
      return event.data;
    }
    return undefined;
  }

  readStream(streamName: StreamName, options?: ReadStreamOptions): AsyncIterable<RecordedEvent> {
    return this.opened(this.raw.readStream(streamName, options));
  }

  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent> {
    return this.opened(this.raw.readAll(options));
  }

  private async *opened(events: AsyncIterable<RecordedEvent>): AsyncIterable<RecordedEvent> {
    let page: RecordedEvent[] = [];
    for await (const event of events) {
      page.push(event);
      if (page.length >= EVENTS_PER_OPENING) {
        yield* await this.vault.openEvents(page);
        page = [];
      }
    }
    if (page.length > 0) yield* await this.vault.openEvents(page);
  }

  /** Live events as they come: a subscriber must not wait for a page to fill (see SUBSCRIPTION_OPENING). */
  subscribeToAll(options?: SubscribeToAllOptions): EventSubscription {
    const subscription = this.raw.subscribeToAll(options);
    const vault = this.vault;
    const limits = this.subscriptionOpening;
    return {
      close: () => subscription.close(),
      async *[Symbol.asyncIterator]() {
        for await (const events of readBatches(subscription, limits)) {
          yield* await vault.openEvents(events);
        }
      },
    };
  }

  headPosition(): Promise<number | undefined> {
    return this.raw.headPosition();
  }

  ping(): Promise<void> {
    return this.raw.ping();
  }

  async close(): Promise<void> {
    await this.raw.close();
    await this.alsoClose?.();
  }
}

/** The lens EventStoreModule looks through. */
export function sealingLens(vault: PersonalDataVault): EventStoreLens {
  return { over: (raw) => new SealingEventStore(raw, vault) };
}

/**
 * The event store as a command-line tool sees it (outside Nest): the configured adapter through
 * the sealing layer, with its own key store, both closed with the store.
 */
export async function openSealingEventStore(
  raw: EventStore,
  config: PersonalDataConfig,
  fields: PersonalDataFields,
): Promise<EventStore> {
  const keys = await SqlPersonalDataKeyStore.open(config.keyDatabase, config.masterKey);
  return new SealingEventStore(raw, new PersonalDataVault(keys, config.masterKey, fields), () => keys.close());
}
