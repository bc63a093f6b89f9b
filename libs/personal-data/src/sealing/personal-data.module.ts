import {
  DynamicModule,
  Global,
  Inject,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { PersonalDataFields } from '@salur/kernel';
import { EVENT_STORE_LENS } from '@salur/event-store';
import { SqlPersonalDataKeyStore, type PersonalDataKeyStore } from './key-store';
import { DEVELOPMENT_MASTER_KEY_WARNING, type PersonalDataConfig } from './personal-data.config';
import { PersonalDataVault } from './personal-data-vault';
import { sealingLens } from './sealing-event-store';

export const PERSONAL_DATA_KEY_STORE = Symbol('PERSONAL_DATA_KEY_STORE');
const PERSONAL_DATA_CONFIG = Symbol('PERSONAL_DATA_CONFIG');

/**
 * The personal-data vault and the lens through which the ledger sees its event store (so
 * EventStoreModule needs this module). Global: every capability that shows personal data opens it here.
 */
@Global()
@Module({})
export class PersonalDataModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(PERSONAL_DATA_CONFIG) private readonly config: PersonalDataConfig,
    @Inject(PERSONAL_DATA_KEY_STORE) private readonly keys: PersonalDataKeyStore,
  ) {}

  static forRoot(config: PersonalDataConfig, fields: PersonalDataFields): DynamicModule {
    return {
      module: PersonalDataModule,
      providers: [
        { provide: PERSONAL_DATA_CONFIG, useValue: config },
        {
          provide: PERSONAL_DATA_KEY_STORE,
          useFactory: () => SqlPersonalDataKeyStore.open(config.keyDatabase, config.masterKey),
        },
        {
          provide: PersonalDataVault,
          inject: [PERSONAL_DATA_KEY_STORE],
          useFactory: (keys: PersonalDataKeyStore) => new PersonalDataVault(keys, config.masterKey, fields),
        },
        { provide: EVENT_STORE_LENS, inject: [PersonalDataVault], useFactory: sealingLens },
      ],
      exports: [PersonalDataVault, EVENT_STORE_LENS, PERSONAL_DATA_KEY_STORE],
    };
  }

  onApplicationBootstrap(): void {
    if (this.config.usesDevelopmentKey) new Logger('PersonalData').warn(DEVELOPMENT_MASTER_KEY_WARNING);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.keys.close();
  }
}
