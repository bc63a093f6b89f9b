import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from '@salur/event-store';

/** A separate process appending to a shared SQLite file; prints the ids it appended as JSON. */
async function main(): Promise<void> {
  const [path, writer, appendsText] = process.argv.slice(2);
  const store = new SqliteEventStore({ path });
  const ids: string[] = [];
  for (let n = 0; n < Number(appendsText); n++) {
    const events = [0, 1].map((part) => ({ id: randomUUID(), type: 'Written', data: { writer, n, part } }));
    await store.append(`writer-${writer}-${n}`, events, { expectedRevision: 'no_stream' });
    ids.push(...events.map((event) => event.id));
  }
  await store.close();
  process.stdout.write(JSON.stringify(ids));
}

void main();
