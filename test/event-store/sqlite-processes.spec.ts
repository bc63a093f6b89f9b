import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RecordedEvent, SqliteEventStore } from '@salur/event-store';
import { collect } from './contract';

/**
 * The API and the workers may share one SQLite file from separate processes. Within one process
 * better-sqlite3 is synchronous, so only separate processes really race for the write lock.
 */
describe('sqlite: 4 writer processes on one file', () => {
  const directory = mkdtempSync(join(tmpdir(), 'salur-sqlite-processes-'));
  const path = join(directory, 'events.db');
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('keeps one total order that a tailing reader in another process follows without a gap', async () => {
    const reader = new SqliteEventStore({ path, pollIntervalMs: 20 });
    const appendsPerWriter = 150;
    const total = 4 * appendsPerWriter * 2;
    const subscription = reader.subscribeToAll();
    const delivered: RecordedEvent[] = [];
    const tailing = (async () => {
      for await (const recorded of subscription) {
        delivered.push(recorded);
        if (delivered.length === total) break;
      }
    })();

    const written = await Promise.all(
      [0, 1, 2, 3].map(async (writer) => {
        const { stdout } = await promisify(execFile)(
          process.execPath,
          [
            '-r',
            'ts-node/register/transpile-only',
            '-r',
            'tsconfig-paths/register',
            join(__dirname, 'support', 'sqlite-writer.ts'),
            path,
            String(writer),
            String(appendsPerWriter),
          ],
          { cwd: join(__dirname, '..', '..') },
        );
        return JSON.parse(stdout) as string[];
      }),
    );
    await tailing;
    const log = await collect(reader.readAll());
    await reader.close();

    expect(log).toHaveLength(total);
    expect(new Set(log.map((event) => event.id))).toEqual(new Set(written.flat()));
    expect(delivered.map((event) => event.id)).toEqual(log.map((event) => event.id));
    // Each append's two events are adjacent: no other process's event slipped between them.
    for (let index = 0; index < total; index += 2) {
      expect(log[index].streamName).toBe(log[index + 1].streamName);
    }
  });
});
