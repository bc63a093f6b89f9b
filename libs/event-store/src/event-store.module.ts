import { DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { Metrics } from '@salur/observability';
import { EventStoreConfig } from './event-store.config';
import { EVENT_STORE, EVENT_STORE_LENS, EventStore, EventStoreLens, RAW_EVENT_STORE } from './event-store.port';
import { meterAppends } from './metered-appends';
import { openEventStore } from './open-event-store';

/**
 * Provides RAW_EVENT_STORE (the adapter) and EVENT_STORE (the adapter through EVENT_STORE_LENS,
 * which a global module must provide: PersonalDataModule). The lens is required on purpose: an
 * app that forgot it would write personal data into the immutable log in clear.
 */
@Global()
@Module({})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(RAW_EVENT_STORE) private readonly store: EventStore) {}

  static forRoot(config: EventStoreConfig): DynamicModule {
    return {
      module: EventStoreModule,
      providers: [
        {
          provide: RAW_EVENT_STORE,
          inject: [{ token: Metrics, optional: true }],
          useFactory: async (metrics: Metrics | undefined) => {
            const store = await openEventStore(config, (message) => new Logger('EventStore').warn(message));
            if (metrics === undefined) return store;
            return meterAppends(store, (adapter, events, bytes) => {
              metrics.counter('appendedEvents').inc({ adapter }, events);
              metrics.counter('appendedBytes').inc({ adapter }, bytes);
            });
          },
        },
        {
          provide: EVENT_STORE,
          inject: [RAW_EVENT_STORE, EVENT_STORE_LENS],
          useFactory: (raw: EventStore, lens: EventStoreLens) => lens.over(raw),
        },
      ],
      exports: [EVENT_STORE, RAW_EVENT_STORE],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
