import { sign, verify } from 'node:crypto';
import {
  ED25519_COSIGNATURE_V1,
  ED25519_NOTE_SIGNATURE,
  isValidKeyName,
  NoteSignerKey,
  NoteVerifierKey,
} from './note-keys';

/**
 * C2SP signed notes (c2sp.org/signed-note): a text ending in a newline, a blank line, then one
 * or more lines `— <key name> <base64(key id || signature)>`. Parsing follows Go's note.Open:
 * valid UTF-8 without control characters other than newline, the signatures after the last
 * blank line, at most 100 of them, repeated identical lines dropped; signatures by unknown
 * keys are kept but prove nothing.
 */
export const MAX_NOTE_SIGNATURES = 100;
/** A checkpoint is a few hundred bytes; this bounds what a parser will look at. */
export const MAX_NOTE_BYTES = 65_536;
const SIGNATURE_PREFIX = '\u2014 ';
const COSIGNATURE_HEADER = 'cosignature/v1\n';
const ED25519_SIGNATURE_BYTES = 64;
const TIMESTAMP_BYTES = 8;

export class NoteFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoteFormatError';
  }
}

export interface NoteSignature {
  readonly name: string;
  /** 4 bytes. */
  readonly keyId: Buffer;
  /** The bytes after the key id: an Ed25519 signature, or a cosignature's timestamp and signature. */
  readonly signature: Buffer;
  /** The whole line without its newline, as it appears in the note. */
  readonly line: string;
}

export interface SignedNote {
  /** The signed text, final newline included. */
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

export function parseSignedNote(message: string): SignedNote {
  if (Buffer.byteLength(message, 'utf8') > MAX_NOTE_BYTES)
    throw new NoteFormatError(`a note is at most ${MAX_NOTE_BYTES} bytes`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f]/.test(message))
    throw new NoteFormatError('a note may not contain control characters');
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(message)) {
    throw new NoteFormatError('a note must be valid UTF-8');
  }
  const split = message.lastIndexOf('\n\n');
  if (split < 0) throw new NoteFormatError('a note needs a blank line before its signatures');
  const text = message.slice(0, split + 1);
  const block = message.slice(split + 2);
  if (block.length === 0 || !block.endsWith('\n'))
    throw new NoteFormatError('the signature lines must end with a newline');
  const seen = new Set<string>();
  const signatures: NoteSignature[] = [];
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES)
    throw new NoteFormatError(`a note may carry at most ${MAX_NOTE_SIGNATURES} signatures`);
  for (const line of lines) {
    if (seen.has(line)) continue;
    seen.add(line);
    signatures.push(parseSignatureLine(line));
  }
  return { text, signatures };
}

export function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(SIGNATURE_PREFIX))
    throw new NoteFormatError(`'${line.slice(0, 40)}' is not a signature line ('— name signature')`);
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  const name = space < 0 ? rest : rest.slice(0, space);
  const encoded = space < 0 ? '' : rest.slice(space + 1);
  const bytes = Buffer.from(encoded, 'base64');
  if (!isValidKeyName(name) || encoded === '' || bytes.toString('base64') !== encoded || bytes.length < 5) {
    throw new NoteFormatError(`'${line.slice(0, 60)}' is not a well-formed signature line`);
  }
  return { name, keyId: bytes.subarray(0, 4), signature: bytes.subarray(4), line };
}

export function formatSignedNote(note: SignedNote): string {
  if (!note.text.endsWith('\n')) throw new NoteFormatError('a note text must end with a newline');
  return `${note.text}\n${note.signatures.map((signature) => `${signature.line}\n`).join('')}`;
}

/** The log's own signature (type 0x01): Ed25519 over the text. */
export function signNote(text: string, key: NoteSignerKey): NoteSignature {
  if (key.type !== ED25519_NOTE_SIGNATURE)
    throw new NoteFormatError(`key ${key.name} is a cosigner key, not a note signing key`);
  return signatureOf(key, sign(null, Buffer.from(text, 'utf8'), key.privateKey));
}

/** A witness's cosignature/v1 (type 0x04): Ed25519 over a header, the time, then the text. */
export function cosignNote(text: string, key: NoteSignerKey, timestampSeconds: number): NoteSignature {
  if (key.type !== ED25519_COSIGNATURE_V1) throw new NoteFormatError(`key ${key.name} is not a cosignature/v1 key`);
  if (!(Number.isSafeInteger(timestampSeconds) && timestampSeconds >= 0))
    throw new NoteFormatError('a cosignature needs a POSIX time');
  const timestamp = Buffer.alloc(TIMESTAMP_BYTES);
  timestamp.writeBigUInt64BE(BigInt(timestampSeconds));
  const signed = sign(null, cosignedMessage(text, timestampSeconds), key.privateKey);
  return signatureOf(key, Buffer.concat([timestamp, signed]));
}

/** Whether this signature line is by this key and verifies over the text. */
export function verifyNoteSignature(text: string, signature: NoteSignature, key: NoteVerifierKey): boolean {
  if (signature.name !== key.name || !signature.keyId.equals(key.keyId)) return false;
  if (key.type === ED25519_NOTE_SIGNATURE) {
    return (
      signature.signature.length === ED25519_SIGNATURE_BYTES &&
      verify(null, Buffer.from(text, 'utf8'), key.publicKey, signature.signature)
    );
  }
  if (signature.signature.length !== TIMESTAMP_BYTES + ED25519_SIGNATURE_BYTES) return false;
  const timestamp = signature.signature.readBigUInt64BE(0);
  if (timestamp > BigInt(Number.MAX_SAFE_INTEGER)) return false;
  const message = cosignedMessage(text, Number(timestamp));
  return verify(null, message, key.publicKey, signature.signature.subarray(TIMESTAMP_BYTES));
}

/** When a cosignature says it was made, in POSIX seconds. */
export function cosignatureTime(signature: NoteSignature): number {
  return Number(signature.signature.readBigUInt64BE(0));
}

/**
 * Opens a note with one trusted key: the note must carry a valid signature by it. A line with
 * the key's name and id whose signature fails is a forgery, reported as such.
 */
export function openSignedNote(message: string, key: NoteVerifierKey): SignedNote {
  const note = parseSignedNote(message);
  const candidates = note.signatures.filter((s) => s.name === key.name && s.keyId.equals(key.keyId));
  if (candidates.length === 0) {
    const names = note.signatures.map((s) => `${s.name}+${s.keyId.toString('hex')}`).join(', ');
    throw new NoteFormatError(
      `the note has no signature by ${key.name}+${key.keyId.toString('hex')} (it has: ${names})`,
    );
  }
  if (!candidates.some((signature) => verifyNoteSignature(note.text, signature, key))) {
    throw new NoteFormatError(
      `the signature by ${key.name}+${key.keyId.toString('hex')} does not verify: forged or altered`,
    );
  }
  return note;
}

function cosignedMessage(text: string, timestampSeconds: number): Buffer {
  return Buffer.from(`${COSIGNATURE_HEADER}time ${timestampSeconds}\n${text}`, 'utf8');
}

function signatureOf(key: NoteSignerKey, bytes: Buffer): NoteSignature {
  const encoded = Buffer.concat([key.keyId, bytes]).toString('base64');
  return { name: key.name, keyId: key.keyId, signature: bytes, line: `${SIGNATURE_PREFIX}${key.name} ${encoded}` };
}
