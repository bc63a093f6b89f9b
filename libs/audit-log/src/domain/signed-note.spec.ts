import { addSignatures, checkpointText, openCheckpoint, parseCheckpointText, signCheckpoint } from './checkpoint';
import { EMPTY_ROOT } from './merkle';
import { ED25519_COSIGNATURE_V1, generateNoteKey, NoteKeyError, parseSignerKey, parseVerifierKey } from './note-keys';
import {
  cosignatureTime,
  cosignNote,
  NoteFormatError,
  openSignedNote,
  parseSignedNote,
  signNote,
  verifyNoteSignature,
} from './signed-note';

/** The example of golang.org/x/mod/sumdb/note's documentation: key pair, text and its signature. */
const GO_EXAMPLE = {
  signerKey: 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz',
  vkey: 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
  text: "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n",
  signatureLine:
    '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=',
};

describe('signed notes and their keys (C2SP signed-note, Go note package)', () => {
  it('derives the published verifier key from the published signer key', () => {
    expect(parseSignerKey(GO_EXAMPLE.signerKey).verifier.vkey).toBe(GO_EXAMPLE.vkey);
  });

  it('signs the published text into exactly the published signature line (Ed25519 is deterministic)', () => {
    const signature = signNote(GO_EXAMPLE.text, parseSignerKey(GO_EXAMPLE.signerKey));
    expect(signature.line).toBe(GO_EXAMPLE.signatureLine);
    const message = `${GO_EXAMPLE.text}\n${GO_EXAMPLE.signatureLine}\n`;
    expect(openSignedNote(message, parseVerifierKey(GO_EXAMPLE.vkey)).text).toBe(GO_EXAMPLE.text);
  });

  it('refuses a changed text, a forged line and a signature by another key of the same name', () => {
    const vkey = parseVerifierKey(GO_EXAMPLE.vkey);
    const altered = `${GO_EXAMPLE.text.replace('problem,', 'problem;')}\n${GO_EXAMPLE.signatureLine}\n`;
    expect(() => openSignedNote(altered, vkey)).toThrow(/does not verify/);
    const impostor = parseSignerKey(generateNoteKey('PeterNeumann').signerKey);
    const forged = `${GO_EXAMPLE.text}\n${signNote(GO_EXAMPLE.text, impostor).line}\n`;
    expect(() => openSignedNote(forged, vkey)).toThrow(/has no signature by PeterNeumann\+c74f20a3/);
  });

  it('rejects malformed notes as Go does', () => {
    expect(() => parseSignedNote('no blank line\n— a AAAAAAA=\n')).toThrow(NoteFormatError);
    expect(() => parseSignedNote('text\n\n— a AAAAAAA=')).toThrow(/end with a newline/);
    expect(() => parseSignedNote('te\txt\n\n— a AAAAAAA=\n')).toThrow(/control characters/);
    expect(() => parseSignedNote('text\n\n- a AAAAAAA=\n')).toThrow(/not a signature line/);
    expect(() => parseSignedNote('text\n\n— a AAAA\n')).toThrow(/not a well-formed/);
    const many = Array.from({ length: 101 }, (_, i) => `— k${i} AAAAAAA=\n`).join('');
    expect(() => parseSignedNote(`text\n\n${many}`)).toThrow(/at most 100/);
  });

  it('refuses keys whose id does not match, whose type is unknown, or whose name has a space', () => {
    expect(() => parseVerifierKey(GO_EXAMPLE.vkey.replace('c74f20a3', 'c74f20a4'))).toThrow(/key id does not match/);
    expect(() => parseVerifierKey('PeterNeumann+c74f20a3+AhpcZwcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toThrow(
      NoteKeyError,
    );
    expect(() => generateNoteKey('two words')).toThrow(NoteKeyError);
  });

  it('makes and checks witness cosignatures (C2SP tlog-cosignature, cosignature/v1)', () => {
    const log = parseSignerKey(generateNoteKey('salur.example/ledger').signerKey);
    const witness = parseSignerKey(generateNoteKey('inspectorate.example/w1', ED25519_COSIGNATURE_V1).signerKey);
    const note = signCheckpoint({ origin: 'salur.example/ledger', size: 0, rootHash: EMPTY_ROOT, extensions: [] }, log);
    const text = parseSignedNote(note).text;
    const cosignature = cosignNote(text, witness, 1_700_000_000);
    expect(cosignature.signature).toHaveLength(72);
    expect(cosignatureTime(cosignature)).toBe(1_700_000_000);
    const cosigned = addSignatures(note, [cosignature]);
    const parsed = parseSignedNote(cosigned);
    expect(parsed.signatures.map((s) => s.name)).toEqual(['salur.example/ledger', 'inspectorate.example/w1']);
    expect(verifyNoteSignature(parsed.text, parsed.signatures[1], witness.verifier)).toBe(true);
    // The witness key signs cosignatures only; the log's key cannot pass for it.
    expect(verifyNoteSignature(parsed.text, parsed.signatures[0], witness.verifier)).toBe(false);
    expect(() => signNote(text, witness)).toThrow(/cosigner key/);
    expect(openCheckpoint(cosigned, log.verifier, 'salur.example/ledger').checkpoint.size).toBe(0);
  });
});

describe('checkpoints (C2SP tlog-checkpoint)', () => {
  it('writes origin, size and base64 root on three lines, and reads them back', () => {
    const text = checkpointText({ origin: 'salur.example/ledger', size: 42, rootHash: EMPTY_ROOT, extensions: [] });
    expect(text).toBe('salur.example/ledger\n42\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n');
    expect(parseCheckpointText(text)).toEqual({
      origin: 'salur.example/ledger',
      size: 42,
      rootHash: EMPTY_ROOT,
      extensions: [],
    });
  });

  it.each([
    ['a leading zero', 'o\n042\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n'],
    ['a short root', 'o\n1\nAAAA\n'],
    ['no root', 'o\n1\n'],
    ['an empty extension', 'o\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n\n'],
  ])('refuses %s', (_, text) => {
    expect(() => parseCheckpointText(text)).toThrow(NoteFormatError);
  });

  it('refuses a checkpoint for another origin', () => {
    const key = parseSignerKey(generateNoteKey('other.example/log').signerKey);
    const note = signCheckpoint({ origin: 'other.example/log', size: 0, rootHash: EMPTY_ROOT, extensions: [] }, key);
    expect(() => openCheckpoint(note, key.verifier, 'salur.example/ledger')).toThrow(/not 'salur.example\/ledger'/);
  });
});
