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
 * Salur adds two extension lines (the spec allows non-empty lines after the root; generic tools
 * ignore them, and they are signed with the rest of the text): the stream-head map's root and
 * the time the log was at that size. A parsed checkpoint keeps any extension line it finds.
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

/** `salur-stream-heads <base64 root>`: the stream-head map (stream-head-map.ts) at exactly this size. */
export const STREAM_HEADS_EXTENSION = 'salur-stream-heads';
/** `salur-time <ISO 8601 UTC>`: when the log was signed at this size, the time the checkpoint speaks for. */
export const TIME_EXTENSION = 'salur-time';

export interface CheckpointExtensions {
  readonly streamHeadsRoot?: Buffer;
  readonly time?: string;
}

export function checkpointExtensionLines(extensions: { streamHeadsRoot: Buffer; time: string }): string[] {
  if (extensions.streamHeadsRoot.length !== HASH_BYTES) throw new NoteFormatError('a map root is 32 bytes');
  return [
    `${STREAM_HEADS_EXTENSION} ${extensions.streamHeadsRoot.toString('base64')}`,
    `${TIME_EXTENSION} ${extensions.time}`,
  ];
}

/** Salur's extension lines of a checkpoint, each at most once; unknown lines are ignored. */
export function readCheckpointExtensions(checkpoint: Checkpoint): CheckpointExtensions {
  const found: { streamHeadsRoot?: Buffer; time?: string } = {};
  for (const line of checkpoint.extensions) {
    const [name, value, ...rest] = line.split(' ');
    if (name !== STREAM_HEADS_EXTENSION && name !== TIME_EXTENSION) continue;
    if (rest.length > 0 || value === undefined) throw new NoteFormatError(`malformed extension line '${line}'`);
    if (name === STREAM_HEADS_EXTENSION) {
      const root = Buffer.from(value, 'base64');
      if (found.streamHeadsRoot || root.length !== HASH_BYTES || root.toString('base64') !== value)
        throw new NoteFormatError(`malformed or repeated ${STREAM_HEADS_EXTENSION} line`);
      found.streamHeadsRoot = root;
    } else {
      if (found.time || Number.isNaN(Date.parse(value)))
        throw new NoteFormatError(`malformed or repeated ${TIME_EXTENSION} line`);
      found.time = value;
    }
  }
  return found;
}
