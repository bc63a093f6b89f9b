import { createHash, createPrivateKey, createPublicKey, KeyObject, randomBytes } from 'node:crypto';

/**
 * Keys of C2SP signed notes (c2sp.org/signed-note, the format of golang.org/x/mod/sumdb/note):
 *
 * - verifier key (vkey):  `<name>+<key id, 8 hex>+<base64(type || public key)>`
 * - signer key (secret):  `PRIVATE+KEY+<name>+<key id>+<base64(type || Ed25519 seed)>`
 * - key id:               the first 4 bytes of SHA-256(name || 0x0A || type || public key)
 *
 * Type 0x01 is an Ed25519 note signature (the log's checkpoints); type 0x04 is an Ed25519
 * cosignature/v1 (c2sp.org/tlog-cosignature, a witness). Both formats are the ones Go's note
 * package and the transparency-dev tools read and write, so keys move between them.
 */
export const ED25519_NOTE_SIGNATURE = 0x01;
export const ED25519_COSIGNATURE_V1 = 0x04;
export type NoteKeyType = typeof ED25519_NOTE_SIGNATURE | typeof ED25519_COSIGNATURE_V1;

const KEY_TYPES: readonly number[] = [ED25519_NOTE_SIGNATURE, ED25519_COSIGNATURE_V1];
const ED25519_KEY_BYTES = 32;
const PRIVATE_KEY_PREFIX = 'PRIVATE+KEY+';
/** DER framing of a raw Ed25519 seed (PKCS#8) and public key (SPKI), for node:crypto. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export class NoteKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoteKeyError';
  }
}

export interface NoteVerifierKey {
  readonly name: string;
  readonly type: NoteKeyType;
  /** 4 bytes. */
  readonly keyId: Buffer;
  readonly publicKey: KeyObject;
  /** The encoded verifier key, as published. */
  readonly vkey: string;
}

export interface NoteSignerKey {
  readonly name: string;
  readonly type: NoteKeyType;
  readonly keyId: Buffer;
  readonly privateKey: KeyObject;
  readonly verifier: NoteVerifierKey;
}

/** Go's unicode.IsSpace set, plus '+': either would make a signature line or a key ambiguous. */
const NOT_IN_KEY_NAME = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000+]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Non-empty, valid Unicode, no spaces, no '+' (the rule of Go's note package). */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !NOT_IN_KEY_NAME.test(name) && !LONE_SURROGATE.test(name);
}

export function keyIdOf(name: string, type: number, rawPublicKey: Buffer): Buffer {
  return createHash('sha256')
    .update(name, 'utf8')
    .update(Buffer.from([0x0a, type]))
    .update(rawPublicKey)
    .digest()
    .subarray(0, 4);
}

export function generateNoteKey(
  name: string,
  type: NoteKeyType = ED25519_NOTE_SIGNATURE,
): { signerKey: string; vkey: string } {
  if (!isValidKeyName(name)) throw new NoteKeyError(`key name '${name}' must be non-empty, without spaces or '+'`);
  const seed = randomBytes(ED25519_KEY_BYTES);
  const signerKey = encodeSignerKey(name, type, seed);
  return { signerKey, vkey: parseSignerKey(signerKey).verifier.vkey };
}

export function encodeSignerKey(name: string, type: NoteKeyType, seed: Buffer): string {
  const rawPublic = rawPublicKeyOf(privateKeyFromSeed(seed));
  const keyId = keyIdOf(name, type, rawPublic);
  return `${PRIVATE_KEY_PREFIX}${name}+${keyId.toString('hex')}+${Buffer.concat([Buffer.from([type]), seed]).toString('base64')}`;
}

export function parseVerifierKey(vkey: string): NoteVerifierKey {
  const what = `verifier key '${truncated(vkey)}'`;
  const [name, keyIdHex, keyData] = splitKey(vkey.trim());
  if (keyData === undefined) throw new NoteKeyError(`${what} is not <name>+<key id>+<key>`);
  const { type, material } = decodeKeyData(keyData, what);
  const keyId = decodeKeyId(keyIdHex, what);
  if (!isValidKeyName(name)) throw new NoteKeyError(`${what} has an invalid name`);
  if (!keyId.equals(keyIdOf(name, type, material)))
    throw new NoteKeyError(`${what}: the key id does not match the key`);
  return { name, type, keyId, publicKey: publicKeyFromRaw(material), vkey: `${name}+${keyIdHex}+${keyData}` };
}

export function parseSignerKey(signerKey: string): NoteSignerKey {
  const what = 'signer key';
  if (!signerKey.startsWith(PRIVATE_KEY_PREFIX))
    throw new NoteKeyError(`${what} must start with ${PRIVATE_KEY_PREFIX}`);
  const [name, keyIdHex, keyData] = splitKey(signerKey.trim().slice(PRIVATE_KEY_PREFIX.length));
  if (keyData === undefined) {
    throw new NoteKeyError(`${what} is not ${PRIVATE_KEY_PREFIX}<name>+<key id>+<key>`);
  }
  const { type, material: seed } = decodeKeyData(keyData, what);
  const keyId = decodeKeyId(keyIdHex, what);
  if (!isValidKeyName(name)) throw new NoteKeyError(`${what} has an invalid name`);
  const privateKey = privateKeyFromSeed(seed);
  const rawPublic = rawPublicKeyOf(privateKey);
  // The id names the public key: a mismatch means a corrupted or spliced key.
  if (!keyId.equals(keyIdOf(name, type, rawPublic)))
    throw new NoteKeyError(`${what}: the key id does not match the key`);
  const publicData = Buffer.concat([Buffer.from([type]), rawPublic]).toString('base64');
  const verifier: NoteVerifierKey = {
    name,
    type,
    keyId,
    publicKey: publicKeyFromRaw(rawPublic),
    vkey: `${name}+${keyIdHex}+${publicData}`,
  };
  return { name, type, keyId, privateKey, verifier };
}

/** `<name>+<id>+<key>`: names hold no '+', base64 may, so only the first two separate. */
function splitKey(text: string): [string, string, string | undefined] {
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  if (second < 0) return [text, '', undefined];
  return [text.slice(0, first), text.slice(first + 1, second), text.slice(second + 1)];
}

function decodeKeyData(keyData: string, what: string): { type: NoteKeyType; material: Buffer } {
  const bytes = Buffer.from(keyData, 'base64');
  if (bytes.toString('base64') !== keyData) throw new NoteKeyError(`${what}: the key is not canonical base64`);
  if (bytes.length !== 1 + ED25519_KEY_BYTES) throw new NoteKeyError(`${what}: the key is not 1 + 32 bytes`);
  if (!KEY_TYPES.includes(bytes[0])) {
    throw new NoteKeyError(`${what}: key type 0x${bytes[0].toString(16).padStart(2, '0')} is not Ed25519 (0x01, 0x04)`);
  }
  return { type: bytes[0] as NoteKeyType, material: bytes.subarray(1) };
}

function decodeKeyId(hex: string, what: string): Buffer {
  if (!/^[0-9a-f]{8}$/.test(hex)) throw new NoteKeyError(`${what}: the key id must be 8 lower-case hex digits`);
  return Buffer.from(hex, 'hex');
}

function privateKeyFromSeed(seed: Buffer): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

function publicKeyFromRaw(raw: Buffer): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
}

function rawPublicKeyOf(privateKey: KeyObject): Buffer {
  return createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(SPKI_ED25519_PREFIX.length);
}

function truncated(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
