import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@salur/event-store';
import { describeEventStoreContract } from './contract';

const directory = mkdtempSync(join(tmpdir(), 'salur-sqlite-contract-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describeEventStoreContract('sqlite (file, WAL)', {
  open: async (limits) => new SqliteEventStore({ path: join(directory, 'events.db'), limits }),
});
