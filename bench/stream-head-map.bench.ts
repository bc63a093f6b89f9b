import { hash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLogDatabase, migrateAuditLog, openAuditLogDatabase } from '@salur/audit-log';
import { StreamHeadMapStore } from '../libs/audit-log/src/log/stream-head-map.store';
import { Benchmark, Measurement, timed } from './harness';

/**
 * The stream-head map's cost per checkpoint in a round of BENCH_MAP_STREAMS payments (1,000,000
 * by default): the map is first built for every payment stream (the round's first checkpoint,
 * timed once and printed), then each run is the checkpoint after BENCH_MAP_CHANGES of those
 * streams got one more event (100,000 by default: ~5 s of the writer's rate, half a checkpoint
 * interval's worth at full speed). Baseline: one bare SHA-256 of a 65-byte node per changed head.
 */
const STREAMS = Number(process.env.BENCH_MAP_STREAMS ?? 1_000_000);
const CHANGES_PER_RUN = Number(process.env.BENCH_MAP_CHANGES ?? 100_000);
const INSERT_ROWS_PER_TRANSACTION = 50_000;

interface MapScene {
  readonly db: AuditLogDatabase;
  readonly directory: string;
  readonly map: StreamHeadMapStore;
  size: number;
  nextRevision: number;
}

let scene: MapScene | undefined;

/** Leaves written straight into the table: the map reads only stream, revision and index. */
async function appendLeaves(target: MapScene, streams: number, revision: number): Promise<void> {
  const handle = openRawHandle(target);
  const insert = handle.prepare(
    'INSERT INTO audit_log_leaves (leaf_index, position, event_id, stream, revision, event_type, leaf_bytes, leaf_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const empty = Buffer.alloc(32);
  for (let start = 0; start < streams; start += INSERT_ROWS_PER_TRANSACTION) {
    handle.transaction(() => {
      for (let i = start; i < Math.min(streams, start + INSERT_ROWS_PER_TRANSACTION); i++) {
        const index = target.size++;
        insert.run(index, index, `e-${index}`, `payment-${i}`, revision, 'PaymentBatched', empty, empty);
      }
    })();
  }
  handle.close();
}

function openRawHandle(target: MapScene) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bench writes rows without Kysely
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  return new Database(join(target.directory, 'audit.db'));
}

async function sign(target: MapScene): Promise<void> {
  const prepared = await target.map.prepare(target.size);
  await target.db.transaction().execute((trx) => prepared.commit(trx));
}

async function ready(): Promise<MapScene> {
  if (scene) return scene;
  const directory = mkdtempSync(join(tmpdir(), 'salur-bench-map-'));
  const db = openAuditLogDatabase({ dialect: 'sqlite', sqlitePath: join(directory, 'audit.db'), postgresUrl: '' });
  await migrateAuditLog(db, 'sqlite');
  scene = { db, directory, map: new StreamHeadMapStore(db), size: 0, nextRevision: 1 };
  await appendLeaves(scene, STREAMS, 0);
  const bytesBefore = fileBytes(directory);
  const first = await timed(STREAMS, () => sign(scene as MapScene));
  process.stderr.write(
    `stream-head map: first checkpoint of ${STREAMS} new streams ${first.seconds.toFixed(1)} s; map storage ${((fileBytes(directory) - bytesBefore) / 2 ** 20).toFixed(0)} MiB\n`,
  );
  return scene;
}

function fileBytes(directory: string): number {
  return ['audit.db', 'audit.db-wal'].reduce((sum, name) => {
    try {
      return sum + statSync(join(directory, name)).size;
    } catch {
      return sum;
    }
  }, 0);
}

async function checkpointAfterChanges(): Promise<Measurement> {
  const target = await ready();
  await appendLeaves(target, CHANGES_PER_RUN, target.nextRevision++);
  const before = fileBytes(target.directory);
  const measured = await timed(CHANGES_PER_RUN, () => sign(target));
  process.stderr.write(
    `stream-head map: checkpoint of ${CHANGES_PER_RUN} changed heads ${measured.seconds.toFixed(1)} s, file grew ${((fileBytes(target.directory) - before) / 2 ** 20).toFixed(1)} MiB\n`,
  );
  return measured;
}

async function bareSha256(): Promise<Measurement> {
  const node = Buffer.alloc(65, 7);
  return timed(CHANGES_PER_RUN, () => {
    for (let i = 0; i < CHANGES_PER_RUN; i++) {
      node[1 + (i & 31)] = i & 0xff;
      hash('sha256', node, 'buffer');
    }
  });
}

export const streamHeadMapBenchmarks: Benchmark[] = [
  {
    name: 'audit-log-stream-head-map',
    unit: 'changed heads/s',
    baseline: { name: 'bare SHA-256 of a 65-byte node, once per changed head', run: bareSha256 },
    cases: [
      {
        name: `checkpoint after ${CHANGES_PER_RUN} changed heads, ${STREAMS}-stream map, SQLite`,
        run: checkpointAfterChanges,
      },
    ],
  },
];

process.once('exit', () => {
  if (scene) rmSync(scene.directory, { recursive: true, force: true });
});
