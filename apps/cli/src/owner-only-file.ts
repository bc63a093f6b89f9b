import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';

/** Read and write for the owner alone: the file holds secrets. */
export const OWNER_ONLY_MODE = 0o600;

/**
 * Writes `text` to a new file of mode 0600. Without `replace`, an existing file is left alone
 * and false returned: the check and the creation are one step (O_EXCL), so two runs cannot both
 * win. With `replace`, the text goes to a new file that is renamed over the old one, so the mode
 * is 0600 even when the old file's was wider, and a reader never sees half a file.
 */
export function writeOwnerOnlyFile(path: string, text: string, replace: boolean): boolean {
  if (!replace) {
    let descriptor: number;
    try {
      descriptor = openSync(path, 'wx', OWNER_ONLY_MODE);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
    writeAndClose(descriptor, text);
    return true;
  }
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeAndClose(openSync(temporary, 'wx', OWNER_ONLY_MODE), text);
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
  return true;
}

function writeAndClose(descriptor: number, text: string): void {
  try {
    // The creation mode passes through the umask; this one does not.
    fchmodSync(descriptor, OWNER_ONLY_MODE);
    writeSync(descriptor, text);
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}
