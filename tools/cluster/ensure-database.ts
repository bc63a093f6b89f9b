import { Client } from 'pg';

/** PostgreSQL's SQLSTATE for CREATE DATABASE of a name that exists. */
const DUPLICATE_DATABASE = '42P04';

/**
 * Creates the database of `url` on its server unless it exists, connecting to the server's
 * `postgres` database to do so: a first `npm run start:cluster` needs no manual createdb.
 * Returns whether it was created.
 */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) {
    throw new Error(`DATABASE_URL names the database '${name}': use letters, digits and _ only`);
  }
  const server = new URL(url);
  server.pathname = '/postgres';
  const client = new Client({ connectionString: server.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount !== 0) return false;
    // The name was checked above: CREATE DATABASE takes no parameters.
    await client.query(`CREATE DATABASE "${name}"`);
    return true;
  } catch (error) {
    // Another start created it between the look and the creation: it exists, which is all we need.
    if ((error as { code?: string }).code === DUPLICATE_DATABASE) return false;
    throw error;
  } finally {
    await client.end();
  }
}
