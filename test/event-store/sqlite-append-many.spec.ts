import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidAppendError, NewEvent, SqliteEventStore, WrongExpectedRevisionError } from '@salur/event-store';

/** SqliteEventStore.appendMany: several new streams in one transaction, all or nothing (issue 7). */
describe('SqliteEventStore.appendMany', () => {
  const directory = mkdtempSync(join(tmpdir(), 'salur-append-many-'));
  let store: SqliteEventStore;

  beforeAll(() => {
    store = new SqliteEventStore({
      path: join(directory, 'events.db'),
      limits: { maxAppendBytes: 1_048_576, maxEventsPerAppend: 5 },
    });
  });
  afterAll(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('writes each stream at its expected revision and answers per stream, in order', async () => {
    const [first, second] = [stream(), stream()];
    await store.append(second, [event()], { expectedRevision: 'no_stream' });
    const results = await store.appendMany([
      { streamName: first, events: [event(), event()], options: { expectedRevision: 'no_stream' } },
      { streamName: second, events: [event()], options: { expectedRevision: 0 } },
    ]);

    expect(results.map((result) => result.nextExpectedRevision)).toEqual([1, 1]);
    expect(results[1].position).toBeGreaterThan(results[0].position);
    expect(await revisionsOf(first)).toEqual([0, 1]);
    expect(await revisionsOf(second)).toEqual([0, 1]);
  });

  it('writes nothing at all when one stream is not at its expected revision', async () => {
    const [fresh, existing] = [stream(), stream()];
    await store.append(existing, [event()], { expectedRevision: 'no_stream' });
    const head = await store.headPosition();

    await expect(
      store.appendMany([
        { streamName: fresh, events: [event()], options: { expectedRevision: 'no_stream' } },
        { streamName: existing, events: [event()], options: { expectedRevision: 'no_stream' } },
      ]),
    ).rejects.toThrow(WrongExpectedRevisionError);
    expect(await store.headPosition()).toBe(head);
    expect(await revisionsOf(fresh)).toEqual([]);
  });

  it('is a no-op when the same events are appended again at the same expected revisions', async () => {
    const name = stream();
    const appends = [{ streamName: name, events: [event()], options: { expectedRevision: 'no_stream' as const } }];
    const [written] = await store.appendMany(appends);
    const head = await store.headPosition();

    const [again] = await store.appendMany(appends);

    expect(again).toEqual(written);
    expect(await store.headPosition()).toBe(head);
  });

  it('refuses more events in one call than one append may hold, before writing', async () => {
    const head = await store.headPosition();
    const appends = Array.from({ length: 6 }, () => ({ streamName: stream(), events: [event()] }));

    await expect(store.appendMany(appends)).rejects.toThrow(InvalidAppendError);
    expect(await store.headPosition()).toBe(head);
  });

  async function revisionsOf(name: string): Promise<number[]> {
    const revisions: number[] = [];
    for await (const recorded of store.readStream(name)) revisions.push(recorded.revision);
    return revisions;
  }
});

function stream(): string {
  return `many-${randomUUID()}`;
}

function event(): NewEvent {
  return { id: randomUUID(), type: 'Happened', data: { amount: '600000.00' } };
}
