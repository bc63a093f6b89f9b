import { randomUUID } from 'node:crypto';
import {
  AppendExpectedRevision,
  BACKWARDS,
  END,
  EventStoreDBClient,
  excludeSystemEvents,
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  ResolvedEvent,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { EventStoreDbDouble, startEventStoreDbDouble } from '.';
import { ExpectedStreamState, InMemoryEventLog, ProposedEvent } from './event-log';

/**
 * The double speaks to the real client as the server does. These tests pin the parts the
 * event-store contract cannot see directly: how conflicts reach the client on both append
 * paths, the server's de-duplication rules, read bounds, subscriptions and cancellation.
 */
describe('EventStoreDB double: write rules of the log', () => {
  const log = new InMemoryEventLog();
  const append = (stream: string, expected: ExpectedStreamState, events: ProposedEvent[]) =>
    log.append(stream, expected, events);

  it('answers a retry with the first append’s last revision and position, even after later appends', () => {
    const stream = `log-${randomUUID()}`;
    const events = [proposed('A'), proposed('B')];
    const first = append(stream, { kind: 'any' }, events);
    append(stream, { kind: 'any' }, [proposed('C')]);

    expect(append(stream, { kind: 'any' }, events)).toEqual(first);
    expect(append(stream, { kind: 'no_stream' }, events)).toEqual(first);
    // At revision 0 the ids would have to sit at revisions 1 and 2: they do not.
    expect(append(stream, { kind: 'revision', revision: 0 }, events)).toEqual({
      kind: 'wrong_expected_version',
      currentRevision: 2,
    });
    expect(log.streamEvents(stream)).toHaveLength(3);
  });

  it('treats a partial match of stored ids as a conflict, as the server’s CorruptedIdempotency', () => {
    const stream = `log-${randomUUID()}`;
    const [a, b] = [proposed('A'), proposed('B')];
    append(stream, { kind: 'no_stream' }, [a, b]);

    expect(append(stream, { kind: 'any' }, [a, proposed('X')]).kind).toBe('wrong_expected_version');
    expect(append(stream, { kind: 'no_stream' }, [a, b, proposed('X')]).kind).toBe('wrong_expected_version');
    expect(log.streamEvents(stream)).toHaveLength(2);
  });

  it('writes an `any` append whose first id is new even when a later id is stored, as the server does', () => {
    const stream = `log-${randomUUID()}`;
    const a = proposed('A');
    append(stream, { kind: 'any' }, [a]);

    expect(append(stream, { kind: 'any' }, [proposed('B'), a])).toMatchObject({ kind: 'success', currentRevision: 2 });
  });

  it('gives byte-offset-like positions: increasing, not dense, commit equal to prepare', () => {
    const stream = `log-${randomUUID()}`;
    append(stream, { kind: 'no_stream' }, [proposed('A'), proposed('B')]);
    const [first, second] = log.streamEvents(stream) ?? [];

    expect(first.position).toBeGreaterThan(0);
    expect(second.position - first.position).toBeGreaterThan(1);
  });
});

describe.each([
  ['BatchAppend', true],
  ['Append (a server without BatchAppend)', false],
])('EventStoreDB double: appends over %s, through the real client', (_, batchAppend) => {
  let double: EventStoreDbDouble;
  let client: EventStoreDBClient;

  beforeAll(async () => {
    double = await startEventStoreDbDouble({ batchAppend });
    client = EventStoreDBClient.connectionString(double.connectionString);
  });

  afterAll(async () => {
    await client?.dispose();
    await double?.stop();
  });

  it.each<[string, number, AppendExpectedRevision, bigint | 'no_stream']>([
    ['no_stream on an existing stream', 1, NO_STREAM, 0n],
    ['a revision ahead of the stream', 2, 5n, 1n],
    ['a revision behind the stream', 2, 0n, 1n],
    ['stream_exists on a missing stream', 0, STREAM_EXISTS, 'no_stream'],
    ['a revision on a missing stream', 0, 0n, 'no_stream'],
  ])('reports %s as WrongExpectedVersionError with both revisions', async (__, existing, expectedRevision, actual) => {
    const stream = `wev-${randomUUID()}`;
    if (existing > 0)
      await client.appendToStream(
        stream,
        Array.from({ length: existing }, () => event('Existing')),
      );

    const attempt = client.appendToStream(stream, event('Refused'), { expectedRevision });

    await expect(attempt).rejects.toBeInstanceOf(WrongExpectedVersionError);
    await expect(attempt).rejects.toMatchObject({
      streamName: stream,
      expectedVersion: expectedRevision,
      actualVersion: actual,
    });
  });

  it('returns the next revision and the position of the last event, and the same for a retry', async () => {
    const stream = `append-${randomUUID()}`;
    const events = [event('A'), event('B')];

    const first = await client.appendToStream(stream, events, { expectedRevision: NO_STREAM });
    const again = await client.appendToStream(stream, events, { expectedRevision: NO_STREAM });
    const [, last] = await readToEnd(client.readStream(stream));

    expect(first).toEqual({ success: true, nextExpectedRevision: 1n, position: last.event?.position });
    expect(again).toEqual(first);
  });
});

describe('EventStoreDB double: reads and subscriptions, through the real client', () => {
  let double: EventStoreDbDouble;
  let client: EventStoreDBClient;

  beforeAll(async () => {
    double = await startEventStoreDbDouble();
    client = EventStoreDBClient.connectionString(double.connectionString);
  });

  afterAll(async () => {
    await client?.dispose();
    await double?.stop();
  });

  it('records what was written, with the server’s created time, content type and positions', async () => {
    const stream = `recorded-${randomUUID()}`;
    const before = Date.now();
    await client.appendToStream(stream, jsonEvent({ type: 'Paid', data: { amount: '1.00' }, metadata: { by: 'x' } }));

    const [resolved] = await readToEnd(client.readStream(stream));

    expect(resolved.event).toMatchObject({ streamId: stream, revision: 0n, type: 'Paid', isJson: true });
    expect(resolved.event?.data).toEqual({ amount: '1.00' });
    expect(resolved.event?.metadata).toEqual({ by: 'x' });
    expect(resolved.event?.position?.commit).toBe(resolved.event?.position?.prepare);
    expect(resolved.event?.created.getTime()).toBeGreaterThanOrEqual(before - 1);
    expect(resolved.event?.created.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('starts $all with system events, as a fresh server does', async () => {
    const [first] = await readToEnd(client.readAll({ maxCount: 1 }));

    expect(first.event?.type.startsWith('$')).toBe(true);
  });

  it('fails a read of a missing stream with StreamNotFoundError', async () => {
    await expect(readToEnd(client.readStream(`missing-${randomUUID()}`))).rejects.toBeInstanceOf(StreamNotFoundError);
  });

  it('reads $all forwards from an event including it, backwards from it excluding it', async () => {
    const stream = `bounds-${randomUUID()}`;
    await client.appendToStream(stream, [event('A'), event('B'), event('C')]);
    const [, b] = await readToEnd(client.readStream(stream));
    const position = b.event?.position ?? START;

    const forwards = await readToEnd(client.readAll({ fromPosition: position, direction: FORWARDS, maxCount: 2 }));
    const backwards = await readToEnd(client.readAll({ fromPosition: position, direction: BACKWARDS, maxCount: 1 }));

    expect(forwards.map((resolved) => resolved.event?.type)).toEqual(['B', 'C']);
    expect(backwards.map((resolved) => resolved.event?.type)).toEqual(['A']);
  });

  it('reads a stream backwards from the end and forwards from a revision, with a count', async () => {
    const stream = `stream-${randomUUID()}`;
    await client.appendToStream(stream, [event('A'), event('B'), event('C')]);

    const backwards = await readToEnd(
      client.readStream(stream, { direction: BACKWARDS, fromRevision: END, maxCount: 2 }),
    );
    const forwards = await readToEnd(client.readStream(stream, { fromRevision: 1n }));

    expect(backwards.map((resolved) => resolved.event?.type)).toEqual(['C', 'B']);
    expect(forwards.map((resolved) => resolved.event?.type)).toEqual(['B', 'C']);
  });

  it('subscribes to $all after a position: confirmation, past events, caught up, then filtered live events', async () => {
    const stream = `subscribed-${randomUUID()}`;
    await client.appendToStream(stream, [event('Before'), event('Past')]);
    const [before] = await readToEnd(client.readStream(stream));
    const subscription = client.subscribeToAll({
      fromPosition: before.event?.position ?? START,
      filter: excludeSystemEvents(),
    });
    const signals: string[] = [];
    subscription.on('confirmation', () => signals.push('confirmation'));
    subscription.on('caughtUp', () => signals.push('caughtUp'));

    const received: string[] = [];
    for await (const resolved of subscription) {
      received.push(resolved.event?.type ?? '?');
      if (received.length === 1) {
        await client.appendToStream(stream, event('Live1'));
        double.appendSystemEvent('$stats-127.0.0.1:2113', '$statsCollected');
        await client.appendToStream(stream, event('Live2'));
      }
      if (received.length === 3) break;
    }
    await subscription.unsubscribe();

    expect(received).toEqual(['Past', 'Live1', 'Live2']);
    expect(signals).toEqual(['confirmation', 'caughtUp']);
  });

  it('subscribes to a stream after a revision', async () => {
    const stream = `stream-subscribed-${randomUUID()}`;
    await client.appendToStream(stream, [event('A'), event('B')]);
    const subscription = client.subscribeToStream(stream, { fromRevision: 0n });

    const received: string[] = [];
    for await (const resolved of subscription) {
      received.push(resolved.event?.type ?? '?');
      if (received.length === 1) await client.appendToStream(stream, event('C'));
      if (received.length === 2) break;
    }
    await subscription.unsubscribe();

    expect(received).toEqual(['B', 'C']);
  });

  it('ends the server’s call when the client unsubscribes', async () => {
    const subscription = client.subscribeToAll({ fromPosition: END });
    await new Promise((resolve) => subscription.once('confirmation', resolve));
    expect(double.openReadCalls()).toBe(1);

    await subscription.unsubscribe();

    await eventually(() => expect(double.openReadCalls()).toBe(0));
  });

  it('holds a large read that the client stopped consuming until the client cancels it (client 6.2.1)', async () => {
    // Why the adapter reads whole pages: leaving `for await` early does not cancel the call.
    await client.appendToStream(
      `large-${randomUUID()}`,
      Array.from({ length: 3_000 }, (_, n) => event('Bulk', { n, padding: 'x'.repeat(200) })),
    );
    const read = client.readAll();
    for await (const resolved of read) {
      void resolved;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(double.openReadCalls()).toBe(1);

    await read.cancel();

    await eventually(() => expect(double.openReadCalls()).toBe(0));
  });
});

function event(type: string, data: Record<string, unknown> = {}) {
  return jsonEvent({ type, data });
}

function proposed(type: string): ProposedEvent {
  return {
    id: randomUUID(),
    type,
    contentType: 'application/json',
    data: Buffer.from('{}'),
    customMetadata: new Uint8Array(),
  };
}

async function readToEnd(read: AsyncIterable<ResolvedEvent>): Promise<ResolvedEvent[]> {
  const events: ResolvedEvent[] = [];
  for await (const resolved of read) events.push(resolved);
  return events;
}

async function eventually(assertion: () => void, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
