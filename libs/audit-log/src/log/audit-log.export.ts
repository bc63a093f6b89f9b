import { once } from 'node:events';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckpointService } from './checkpoint.service';
import type { MerkleLogStore } from './merkle-log.store';

/** Leaves per read while exporting. */
const EXPORT_PAGE_LEAVES = 5_000;
/** Checkpoints per read while exporting. */
const EXPORT_PAGE_CHECKPOINTS = 1_000;

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
 */
export async function exportAuditLog(
  log: MerkleLogStore,
  checkpoints: CheckpointService,
  directory: string,
): Promise<ExportSummary> {
  mkdirSync(join(directory, 'checkpoints'), { recursive: true });
  const { missingLeaves, leaves } = await writeLeaves(log, join(directory, 'leaves.jsonl'));
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
