import { eventStoreConfigFrom } from '@salur/event-store';
import { readModelConfigFrom } from './database.config';

const from = (env: Record<string, string>) => readModelConfigFrom(env, eventStoreConfigFrom(env));

describe('read-model configuration', () => {
  it('keeps the embedded default in an SQLite file next to the events', () => {
    expect(from({})).toMatchObject({ dialect: 'sqlite', sqlitePath: 'data/salur-read.db' });
    expect(from({ SQLITE_PATH: '/var/salur/events.db' }).sqlitePath).toBe('/var/salur/salur-read.db');
    expect(from({ READ_MODEL_SQLITE_PATH: '/tmp/read.db' }).sqlitePath).toBe('/tmp/read.db');
  });

  it('follows the event store into PostgreSQL, in the same database unless told otherwise', () => {
    expect(from({ EVENT_STORE: 'postgres', DATABASE_URL: 'postgres://db/salur' })).toMatchObject({
      dialect: 'postgres',
      postgresUrl: 'postgres://db/salur',
    });
    expect(from({ EVENT_STORE: 'eventstoredb', READ_MODEL_DATABASE_URL: 'postgres://db/read' })).toMatchObject({
      dialect: 'postgres',
      postgresUrl: 'postgres://db/read',
    });
  });

  it('names the variable of a bad value', () => {
    expect(() => from({ READ_MODEL_STORE: 'mongodb' })).toThrow(/READ_MODEL_STORE/);
    expect(() => from({ READ_MODEL_DATABASE_URL: 'mysql://x' })).toThrow(/READ_MODEL_DATABASE_URL/);
  });
});
