import { DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { EventStoreConfig } from './event-store.config';
import { EVENT_STORE, EVENT_STORE_LENS, EventStore, EventStoreLens, RAW_EVENT_STORE } from './event-store.port';
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
          useFactory: () => openEventStore(config, (message) => new Logger('EventStore').warn(message)),
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
