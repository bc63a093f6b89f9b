import { once } from 'node:events';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckpointService } from './checkpoint.service';
import type { MerkleLogStore } from './merkle-log.store';

/** Leaves per read while exporting. */
const EXPORT_PAGE_LEAVES = 5_000;
/** Checkpoints per read while exporting. */
const EXPORT_PAGE_CHECKPOINTS = 1_000;
/** Batches' line lists per read while exporting (each up to 5,000 lines, ~0.5 MB). */
const EXPORT_PAGE_BATCHES = 20;

export interface ExportSummary {
  readonly leaves: number;
  readonly checkpoints: number;
  /** Leaf indexes found missing in the tables (written as nothing: the verifier will not match). */
  readonly missingLeaves: readonly number[];
}

/**
 * Writes the whole log for an offline audit (`salur-verify log <dir>`):
 *
 * - `leaves.jsonl`: leaf n on line n, its exact bytes. RFC 8785 JSON never contains a raw
 *   newline (control characters in strings are escaped), so a newline can end each leaf.
 * - `checkpoints/<size>.txt`: every signed checkpoint, with its cosignatures.
 * - `checkpoint.txt`: the latest of them.
 * - `batch-lines.jsonl`: `{"leafIndex":n,"lines":[…]}` for every salur-batch/v2 BatchCreated,
 *   whose leaf keeps only the root, count and total of its lines: with them the full-log audit
 *   checks each root and that the lines sum to the signed total, and applies the money rule to
 *   every payment (`--payments`).
 */
export async function exportAuditLog(
  log: MerkleLogStore,
  checkpoints: CheckpointService,
  directory: string,
): Promise<ExportSummary> {
  mkdirSync(join(directory, 'checkpoints'), { recursive: true });
  const { missingLeaves, leaves } = await writeLeaves(log, join(directory, 'leaves.jsonl'));
  await writeBatchLines(log, join(directory, 'batch-lines.jsonl'));
  let written = 0;
  let latest: string | undefined;
  for (let after = -1; ;) {
    const rows = await log.db
      .selectFrom('auditLogCheckpoints')
      .selectAll()
      .where('treeSize', '>', after)
      .orderBy('treeSize')
      .limit(EXPORT_PAGE_CHECKPOINTS)
      .execute();
    for (const row of rows) {
      const note = await checkpoints.cosigned({ ...row, treeSize: Number(row.treeSize) });
      writeFileSync(join(directory, 'checkpoints', `${Number(row.treeSize)}.txt`), note);
      latest = note;
      written++;
    }
    if (rows.length < EXPORT_PAGE_CHECKPOINTS) break;
    after = Number(rows[rows.length - 1].treeSize);
  }
  if (latest !== undefined) writeFileSync(join(directory, 'checkpoint.txt'), latest);
  return { leaves, checkpoints: written, missingLeaves };
}

async function writeBatchLines(log: MerkleLogStore, path: string): Promise<void> {
  const out = createWriteStream(path);
  try {
    for (let after = -1; ;) {
      const rows = await log.db
        .selectFrom('auditLogBatchLines')
        .selectAll()
        .where('leafIndex', '>', after)
        .orderBy('leafIndex')
        .limit(EXPORT_PAGE_BATCHES)
        .execute();
      for (const row of rows) {
        // The stored lines are JSON already: written as they are, not re-serialized.
        const line = `{"leafIndex":${Number(row.leafIndex)},"lines":${row.lines}}\n`;
        if (!out.write(line)) await once(out, 'drain');
      }
      if (rows.length < EXPORT_PAGE_BATCHES) break;
      after = Number(rows[rows.length - 1].leafIndex);
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
}

async function writeLeaves(log: MerkleLogStore, path: string): Promise<{ leaves: number; missingLeaves: number[] }> {
  const out = createWriteStream(path);
  const missingLeaves: number[] = [];
  let next = 0;
  try {
    for (;;) {
      const page = await log.leavesFrom(next, EXPORT_PAGE_LEAVES);
      for (const leaf of page) {
        for (; next < leaf.leafIndex; next++) missingLeaves.push(next);
        if (!out.write(Buffer.concat([leaf.leafBytes, Buffer.from('\n')]))) await once(out, 'drain');
        next = leaf.leafIndex + 1;
      }
      if (page.length < EXPORT_PAGE_LEAVES) break;
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return { leaves: next - missingLeaves.length, missingLeaves };
}
