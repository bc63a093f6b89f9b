import { ConfigurationError } from '@salur/config';
import { eventStoreConfigFrom } from './event-store.config';

describe('EVENTSTOREDB_CLIENT', () => {
  it('picks @eventstore/db-client unless told, and the kurrent client when told', () => {
    expect(eventStoreConfigFrom({}).eventStoreDbClient).toBe('eventstore');
    expect(eventStoreConfigFrom({ EVENTSTOREDB_CLIENT: 'kurrentdb' }).eventStoreDbClient).toBe('kurrentdb');
  });

  it('refuses any other client with a ConfigurationError naming the variable', () => {
    expect(() => eventStoreConfigFrom({ EVENTSTOREDB_CLIENT: 'kurrent' })).toThrow(ConfigurationError);
    expect(() => eventStoreConfigFrom({ EVENTSTOREDB_CLIENT: 'kurrent' })).toThrow(
      "EVENTSTOREDB_CLIENT: 'kurrent' is not one of eventstore, kurrentdb",
    );
  });

  it('takes a kurrentdb:// URL only for the kurrent client, which alone understands it', () => {
    const url = 'kurrentdb://db:2113?tls=false';
    expect(eventStoreConfigFrom({ EVENTSTOREDB_CLIENT: 'kurrentdb', EVENTSTOREDB_URL: url }).eventStoreDbUrl).toBe(url);
    expect(() => eventStoreConfigFrom({ EVENTSTOREDB_URL: url })).toThrow(/^EVENTSTOREDB_URL: 'kurrentdb:' is not one/);
  });
});
