import { HASH_BYTES } from './merkle';
import { NoteSignerKey, NoteVerifierKey } from './note-keys';
import {
  formatSignedNote,
  NoteFormatError,
  NoteSignature,
  openSignedNote,
  parseSignedNote,
  signNote,
  SignedNote,
} from './signed-note';

/**
 * C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint): a signed note whose text is the log's origin,
 * its size in decimal, and the base64 RFC 6962 root hash at that size, each on its own line.
 * Salur writes no extension lines; a parsed checkpoint keeps any it finds.
 */
export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Buffer;
  readonly extensions: readonly string[];
}

export interface OpenedCheckpoint {
  readonly checkpoint: Checkpoint;
  readonly note: SignedNote;
}

export function checkpointText(checkpoint: Checkpoint): string {
  if (checkpoint.rootHash.length !== HASH_BYTES) throw new NoteFormatError('a root hash is 32 bytes');
  const lines = [
    checkpoint.origin,
    String(checkpoint.size),
    checkpoint.rootHash.toString('base64'),
    ...checkpoint.extensions,
  ];
  return `${lines.join('\n')}\n`;
}

export function parseCheckpointText(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw new NoteFormatError('a checkpoint ends with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw new NoteFormatError('a checkpoint has an origin, a size and a root hash line');
  const [origin, sizeText, rootText, ...extensions] = lines;
  if (origin === '') throw new NoteFormatError('the checkpoint origin is empty');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) {
    throw new NoteFormatError(`checkpoint size '${sizeText}' is not a decimal without leading zeros`);
  }
  const rootHash = Buffer.from(rootText, 'base64');
  if (rootHash.length !== HASH_BYTES || rootHash.toString('base64') !== rootText) {
    throw new NoteFormatError(`checkpoint root '${rootText}' is not the base64 of 32 bytes`);
  }
  if (extensions.some((line) => line === '')) throw new NoteFormatError('checkpoint extension lines must not be empty');
  return { origin, size: Number(sizeText), rootHash, extensions };
}

export function signCheckpoint(checkpoint: Checkpoint, key: NoteSignerKey): string {
  const text = checkpointText(checkpoint);
  return formatSignedNote({ text, signatures: [signNote(text, key)] });
}

/** Verifies the log's signature, then parses the text; the origin must be the expected one if given. */
export function openCheckpoint(message: string, key: NoteVerifierKey, expectedOrigin?: string): OpenedCheckpoint {
  const note = openSignedNote(message, key);
  const checkpoint = parseCheckpointText(note.text);
  if (expectedOrigin !== undefined && checkpoint.origin !== expectedOrigin) {
    throw new NoteFormatError(`the checkpoint is for origin '${checkpoint.origin}', not '${expectedOrigin}'`);
  }
  return { checkpoint, note };
}

/** Adds signature lines (a witness's cosignature) to a signed checkpoint, dropping exact repeats. */
export function addSignatures(message: string, signatures: readonly NoteSignature[]): string {
  const note = parseSignedNote(message);
  const lines = new Set(note.signatures.map((signature) => signature.line));
  const added = signatures.filter((signature) => !lines.has(signature.line));
  return formatSignedNote({ text: note.text, signatures: [...note.signatures, ...added] });
}
