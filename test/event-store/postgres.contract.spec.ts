import { PostgresEventStore } from '@salur/event-store';
import { createFreshDatabase, FreshDatabase } from '../support/postgres';
import { describeEventStoreContract } from './contract';

let database: FreshDatabase;
beforeAll(async () => {
  database = await createFreshDatabase('contract');
});
afterAll(async () => {
  await database?.drop();
});

describeEventStoreContract('postgres', {
  open: (limits) => PostgresEventStore.connect({ connectionString: database.url, limits }),
});
