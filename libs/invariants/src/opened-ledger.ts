import type { Environment } from '@salur/config';
import type { EventStore } from '@salur/event-store';
import { LEDGER_PERSONAL_DATA } from '@salur/ledger';
import {
  personalDataConfigFrom,
  PersonalDataVault,
  SealingEventStore,
  SqlPersonalDataKeyStore,
} from '@salur/personal-data';
import { openKeyStoreIfPresent } from './erased-subjects.key-store';

/**
 * The ledger as the service reads it: the raw store with its personal data opened through the
 * configured key store, for whoever must compare with what the service folded (the read models)
 * or with what a user sent (a NIK). Undefined `opened` when no key store was ever created: the
 * ledger sealed nothing, so the raw store already reads as the service reads it.
 */
export interface OpenedLedger {
  readonly opened: EventStore | undefined;
  readonly keyStore: SqlPersonalDataKeyStore | undefined;
}

export async function openLedgerView(store: EventStore, env: Environment): Promise<OpenedLedger> {
  const keyStore = await openKeyStoreIfPresent(env);
  const opened =
    keyStore &&
    new SealingEventStore(
      store,
      new PersonalDataVault(keyStore, personalDataConfigFrom(env).masterKey, LEDGER_PERSONAL_DATA),
    );
  return { opened, keyStore };
}
