import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WrongExpectedRevisionError } from '../errors';
import type { NewEvent } from '../event-store.port';
import { GroupCommit, GroupOutcome } from './group-commit';
import { SqliteEventStore } from './sqlite-event-store';

describe('GroupCommit', () => {
  function recordingGroupCommit(limits = { maxItems: 100, maxWeight: 1_000 }) {
    const groups: string[][] = [];
    const groupCommit = new GroupCommit<string, string>((items) => {
      groups.push([...items]);
      return items.map((item): GroupOutcome<string> =>
        item.startsWith('bad') ? { ok: false, error: new Error(item) } : { ok: true, value: item.toUpperCase() },
      );
    }, limits);
    return { groups, groupCommit };
  }

  it('commits what was submitted in one turn of the event loop together, in order, answering each', async () => {
    const { groups, groupCommit } = recordingGroupCommit();
    const answers = await Promise.allSettled(['a', 'bad-b', 'c'].map((item) => groupCommit.submit(item, 1)));

    expect(groups).toEqual([['a', 'bad-b', 'c']]);
    expect(answers).toEqual([
      { status: 'fulfilled', value: 'A' },
      { status: 'rejected', reason: new Error('bad-b') },
      { status: 'fulfilled', value: 'C' },
    ]);
  });

  it('keeps a group within its item and weight bounds, an overweight item going alone', async () => {
    const { groups, groupCommit } = recordingGroupCommit({ maxItems: 2, maxWeight: 10 });
    await Promise.all([
      groupCommit.submit('a', 1),
      groupCommit.submit('b', 1),
      groupCommit.submit('c', 1),
      groupCommit.submit('heavy', 50),
      groupCommit.submit('d', 9),
      groupCommit.submit('e', 2),
    ]);

    expect(groups).toEqual([['a', 'b'], ['c'], ['heavy'], ['d'], ['e']]);
  });

  it('refuses every item of a group whose commit failed, since none of it was written', async () => {
    const groupCommit = new GroupCommit<string, string>(
      () => {
        throw new Error('disk full');
      },
      { maxItems: 10, maxWeight: 10 },
    );
    const answers = await Promise.allSettled([groupCommit.submit('a', 1), groupCommit.submit('b', 1)]);

    expect(answers.map((answer) => answer.status)).toEqual(['rejected', 'rejected']);
  });

  it('commits everything pending at once on flush', async () => {
    const { groups, groupCommit } = recordingGroupCommit({ maxItems: 1, maxWeight: 10 });
    const answers = [groupCommit.submit('a', 1), groupCommit.submit('b', 1)];
    groupCommit.flush();

    expect(groups).toEqual([['a'], ['b']]);
    await expect(Promise.all(answers)).resolves.toEqual(['A', 'B']);
  });
});

describe('SqliteEventStore group commit', () => {
  const directory = mkdtempSync(join(tmpdir(), 'salur-group-commit-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  const event = (): NewEvent => ({ id: randomUUID(), type: 'Happened', data: { amount: '600000.00' } });

  it('answers concurrent appends one by one: a lost race is refused, its neighbours in the commit are written', async () => {
    const store = new SqliteEventStore({ path: join(directory, 'race.db') });
    try {
      const [first, second, third] = await Promise.allSettled([
        store.append('stream-a', [event()], { expectedRevision: 'no_stream' }),
        store.append('stream-a', [event(), event()], { expectedRevision: 'no_stream' }),
        store.append('stream-b', [event()], { expectedRevision: 'no_stream' }),
      ]);

      expect(first).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 0 } });
      expect(second).toMatchObject({ status: 'rejected', reason: expect.any(WrongExpectedRevisionError) });
      expect(third).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 0 } });
      // The refused two-event append left nothing behind, not even its first event.
      const positions = [];
      for await (const recorded of store.readAll()) positions.push(`${recorded.streamName}@${recorded.revision}`);
      expect(positions).toEqual(['stream-a@0', 'stream-b@0']);
    } finally {
      await store.close();
    }
  });

  it('writes appends still waiting for their commit when the store is closed', async () => {
    const path = join(directory, 'close.db');
    const store = new SqliteEventStore({ path });
    const appended = store.append('stream-c', [event()], { expectedRevision: 'no_stream' });
    await store.close();
    await expect(appended).resolves.toMatchObject({ nextExpectedRevision: 0 });

    const reopened = new SqliteEventStore({ path });
    try {
      expect(await reopened.headPosition()).toBe(1);
    } finally {
      await reopened.close();
    }
  });
});
