import type { EventStore } from '@salur/event-store';
import { LEDGER_PERSONAL_DATA } from '@salur/ledger';
import { PersonalDataVault, SealingEventStore, SqlPersonalDataKeyStore } from '@salur/personal-data';
import { randomBytes } from 'node:crypto';

/** A vault with the ledger's declarations and its own in-memory key store, for tests outside Nest. */
export interface TestVault {
  readonly vault: PersonalDataVault;
  /** The store seen through the vault, as the apps see EVENT_STORE. */
  sealing(raw: EventStore): EventStore;
  close(): Promise<void>;
}

export async function openTestVault(): Promise<TestVault> {
  const masterKey = randomBytes(32);
  const keys = await SqlPersonalDataKeyStore.open(
    { dialect: 'sqlite', sqlitePath: ':memory:', postgresUrl: 'postgres://unused' },
    masterKey,
  );
  const vault = new PersonalDataVault(keys, masterKey, LEDGER_PERSONAL_DATA);
  return {
    vault,
    sealing: (raw) => new SealingEventStore(raw, vault),
    close: () => keys.close(),
  };
}
