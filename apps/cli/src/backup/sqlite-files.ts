import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';

/**
 * SQLite's online backup API: a consistent copy of the database as of one instant, including
 * what is still in its write-ahead log, taken while the service keeps writing (the copy restarts
 * by itself if a writer changes a page it already copied). Copying the file with `cp` could mix
 * pages from before and after a commit, and would miss the WAL's content.
 */
export async function copyOnline(source: string, destination: string): Promise<void> {
  const database = new Database(source, { fileMustExist: true });
  try {
    await database.backup(destination);
  } finally {
    database.close();
  }
}

/**
 * Folds the copy's write-ahead log into it and leaves it in rollback-journal mode: one file whose
 * bytes are all of it, so its SHA-256 covers everything and no stray -wal can pair with it. The
 * service turns WAL back on when it opens the restored file.
 */
export function makeSelfContained(path: string): void {
  const database = new Database(path, { fileMustExist: true });
  try {
    database.pragma('journal_mode = DELETE');
  } finally {
    database.close();
  }
}

/** SQLite's side files: a -wal left beside a replaced file would be replayed into it, corrupting it. */
export function removeSideFiles(path: string): void {
  for (const suffix of SIDE_FILE_SUFFIXES) rmSync(`${path}${suffix}`, { force: true });
}

export const SIDE_FILE_SUFFIXES = ['-wal', '-shm', '-journal'];
