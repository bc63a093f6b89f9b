import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The server these machines run; CI and sessions point tests at it unless told otherwise. */
export const POSTGRES_SERVER_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface FreshDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** A new, empty database for one test file: no test depends on what an earlier run left. */
export async function createFreshDatabase(purpose: string): Promise<FreshDatabase> {
  const name = `salur_test_${purpose.replace(/\W/g, '_')}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdminClient((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(POSTGRES_SERVER_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(),
  };
}

async function withAdminClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: POSTGRES_SERVER_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
