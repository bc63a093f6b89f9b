import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The demo's mark on a folder it made. `--fresh` clears only folders that carry it: a mistyped
 * `--dir ~` or `--dir ./data` (the service's own ledger) must never be emptied by a demo.
 */
export const DEMO_MARKER = 'salur-demo.json';

export type FolderVerdict =
  { readonly action: 'use' } | { readonly action: 'clear' } | { readonly action: 'refuse'; readonly reason: string };

/** What to do with the folder, from its entries: one ledger per folder, never two mixed. */
export function folderVerdict(entries: readonly string[], fresh: boolean, folder: string): FolderVerdict {
  if (entries.length === 0) return { action: 'use' };
  if (!entries.includes(DEMO_MARKER)) {
    return {
      action: 'refuse',
      reason:
        `${folder} holds files the demo did not make (there is no ${DEMO_MARKER}). The demo writes its ledger ` +
        `only into an empty folder or one it made, and --fresh clears only those: choose another --dir.`,
    };
  }
  if (fresh) return { action: 'clear' };
  return {
    action: 'refuse',
    reason:
      `${folder} holds the ledger of an earlier demo. A second round on top of it would mix two ledgers ` +
      `(events, read models and audit log): run again with --fresh to clear it first, or choose another --dir.`,
  };
}

export class DemoRefusal extends Error {}

/** Makes the folder ready for a new round and marks it as the demo's, or refuses with the reason. */
export async function claimDemoFolder(folder: string, fresh: boolean, shownAs: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  const entries = await readdir(folder);
  const verdict = folderVerdict(entries, fresh, shownAs);
  if (verdict.action === 'refuse') throw new DemoRefusal(verdict.reason);
  if (verdict.action === 'clear') {
    for (const entry of entries) await rm(join(folder, entry), { recursive: true, force: true });
  }
  const marker = { format: 'salur-demo/v1', startedAt: new Date().toISOString() };
  await writeFile(join(folder, DEMO_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
}
