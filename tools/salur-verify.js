#!/usr/bin/env node
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS on purpose: no build step, no dependencies */
'use strict';
/**
 * salur-verify: checks Salur's "full amount, no deductions" proofs without trusting Salur.
 *
 * It depends on nothing but Node's standard library (Node 20 or later), so it can be read
 * whole before it is trusted. It follows public standards, so other tools can check the same files:
 *   RFC 9162 section 2.1 (RFC 6962) Merkle trees, inclusion and consistency proofs;
 *   RFC 8785 canonical JSON (the leaves);
 *   C2SP signed-note, tlog-checkpoint and tlog-cosignature (the signed checkpoints).
 *
 *   salur-verify <proof.json> --vkey <vkey> [--origin <origin>] [--checkpoint <saved.txt>]
 *                [--consistency <c.json>] [--witness <vkey>]... [--bank-file <pain.001.xml>]
 *   salur-verify log <dir> --vkey <vkey> [--checkpoint <saved.txt>] [--payments]
 *   salur-verify cosign <checkpoint.txt> --vkey <log vkey> --key <witness key file>
 *   salur-verify statement <camt.053|camt.054> <proof.json> --vkey <vkey>   (tools/salur-verify-statement.js)
 *   salur-verify disclose <proof.json> --kind <kind> --value <value> --commitment-key <key>
 *                                                                           (tools/salur-verify-disclosure.js)
 *
 * Exit codes: 0 verified and every payment got its full amount; 3 verified, but the ledger
 * itself shows a payment not (fully) credited, or paid to an account its beneficiary's record did
 * not hold (account-not-bound); 1 verification failed; 2 wrong usage.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { Buffer } = require('node:buffer');

class Failure extends Error {}
class Usage extends Error {}
const fail = (message) => {
  throw new Failure(message);
};

// ---------------------------------------------------------------------------------------------
// RFC 9162 section 2.1: hashes, inclusion and consistency proofs (sizes below 2^53; BigInt bits).

const sha256 = (...parts) => {
  const hash = crypto.createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};
const EMPTY_ROOT = sha256();
const leafHash = (bytes) => sha256(Buffer.from([0]), bytes);
const nodeHash = (left, right) => sha256(Buffer.from([1]), left, right);

function bitLength(n) {
  return n === 0n ? 0 : n.toString(2).length;
}
function popCount(n) {
  return [...n.toString(2)].filter((bit) => bit === '1').length;
}

/** Lengths of the inclusion proof parts below and above where the paths to `index` and the last leaf split. */
function decompose(index, size) {
  const inner = bitLength(index ^ (size - 1n));
  return { inner, border: popCount(index >> BigInt(inner)) };
}
function chainInner(seed, proof, index) {
  return proof.reduce(
    (hash, sibling, i) => ((index >> BigInt(i)) & 1n ? nodeHash(sibling, hash) : nodeHash(hash, sibling)),
    seed,
  );
}
function chainInnerRight(seed, proof, index) {
  return proof.reduce((hash, sibling, i) => ((index >> BigInt(i)) & 1n ? nodeHash(sibling, hash) : hash), seed);
}
function chainBorderRight(seed, proof) {
  return proof.reduce((hash, sibling) => nodeHash(sibling, hash), seed);
}
function assertHashes(hashes, what) {
  hashes.forEach((hash, i) => hash.length === 32 || fail(`${what} ${i} is ${hash.length} bytes, not 32`));
}

/** RFC 9162 section 2.1.3.2: the root an inclusion proof leads to. */
function rootFromInclusion(index, size, hash, proof) {
  if (!(index >= 0 && index < size)) fail(`leaf ${index} is not in a tree of ${size} leaves`);
  assertHashes([hash, ...proof], 'hash');
  const { inner, border } = decompose(BigInt(index), BigInt(size));
  if (proof.length !== inner + border)
    fail(`the inclusion path of leaf ${index} has ${proof.length} hashes, not ${inner + border}`);
  return chainBorderRight(chainInner(hash, proof.slice(0, inner), BigInt(index)), proof.slice(inner));
}

/** RFC 9162 section 2.1.4.2: whether the tree of size2 extends the tree of size1. */
function verifyConsistency(size1, size2, proof, root1, root2) {
  if (size2 < size1) fail(`the log shrank from ${size1} to ${size2} leaves`);
  if (size1 === size2) {
    if (proof.length > 0) fail('equal sizes need an empty consistency proof');
    if (!root1.equals(root2)) fail(`two different roots were signed for size ${size1}: the log forked`);
    return;
  }
  if (size1 === 0) return; // every log extends the empty one
  if (proof.length === 0) fail('the consistency proof is empty');
  assertHashes(proof, 'consistency hash');
  const s1 = BigInt(size1);
  const { inner: fullInner, border } = decompose(s1 - 1n, BigInt(size2));
  let shift = 0;
  while (((s1 >> BigInt(shift)) & 1n) === 0n) shift++;
  const inner = fullInner - shift;
  const exact = s1 === 1n << BigInt(shift);
  const seed = exact ? root1 : proof[0];
  const rest = exact ? proof : proof.slice(1);
  if (rest.length !== inner + border)
    fail(`the consistency proof has ${proof.length} hashes, not ${inner + border + (exact ? 0 : 1)}`);
  const mask = (s1 - 1n) >> BigInt(shift);
  const old = chainBorderRight(chainInnerRight(seed, rest.slice(0, inner), mask), rest.slice(inner));
  const now = chainBorderRight(chainInner(seed, rest.slice(0, inner), mask), rest.slice(inner));
  if (!old.equals(root1) || !now.equals(root2)) {
    fail(`the log was rewritten: the checkpoint of size ${size2} does not extend the checkpoint of size ${size1}`);
  }
}

/** Appends leaf hashes keeping only the tree's right edge; the root of every prefix on demand. */
class TreeBuilder {
  constructor() {
    this.edge = [];
    this.size = 0;
  }
  push(hash) {
    let node = { level: 0, hash };
    while (this.edge.length > 0 && this.edge[this.edge.length - 1].level === node.level) {
      const left = this.edge.pop();
      node = { level: node.level + 1, hash: nodeHash(left.hash, node.hash) };
    }
    this.edge.push(node);
    this.size++;
  }
  root() {
    if (this.edge.length === 0) return EMPTY_ROOT;
    return this.edge.reduceRight((hash, node) => (hash === null ? node.hash : nodeHash(node.hash, hash)), null);
  }
}

// ---------------------------------------------------------------------------------------------
// The stream-head map (libs/audit-log/src/domain/stream-head-map.ts): a compact sparse Merkle
// tree keyed by SHA-256(stream name) (bit 0 the top bit of byte 0; 0 goes left), value
// SHA-256(RFC 8785 {stream, revision, leafIndex}), leaf SHA-256(0x00 || key || value). A subtree
// holding no key hashes to 32 zero bytes, one key to that key's leaf hash, two or more to
// SHA-256(0x01 || left || right). A proof: {depth, siblings}, the leaf's depth and as many
// siblings, deepest first (depth `depth` ... 1).

const MAP_KEY_BITS = 256;
const bitOf = (bytes, i) => (bytes[i >> 3] >> (7 - (i & 7))) & 1;

/** The map root that `proof` leads to for this head. */
function mapRootFromProof(head, proof, where) {
  const depth = proof && proof.depth;
  if (!Number.isSafeInteger(depth) || depth < 0 || depth > MAP_KEY_BITS)
    fail(`${where}: the map proof's depth is not a whole number from 0 to ${MAP_KEY_BITS}`);
  if (!Array.isArray(proof.siblings) || proof.siblings.length !== depth)
    fail(`${where}: the map proof has depth ${depth} but not as many siblings`);
  const siblings = proof.siblings.map((hash, i) => strictBase64(hash, `${where}: map sibling ${i}`));
  assertHashes(siblings, `${where}: map sibling`);
  const key = sha256(Buffer.from(head.stream, 'utf8'));
  const value = sha256(
    Buffer.from(canonicalize({ stream: head.stream, revision: head.revision, leafIndex: head.leafIndex }), 'utf8'),
  );
  let hash = sha256(Buffer.from([0]), key, value);
  siblings.forEach((sibling, i) => {
    hash = bitOf(key, depth - 1 - i) === 0 ? nodeHash(hash, sibling) : nodeHash(sibling, hash);
  });
  return hash;
}

/** v2: every stream's head, proven against the signed map root; returns stream -> head. */
function streamHeadsOf(document, checkpoint) {
  if (!checkpoint.streamHeadsRoot) fail('the checkpoint carries no salur-stream-heads line, which a v2 proof needs');
  const heads = new Map();
  for (const entry of document.streams || []) {
    const where = `the head of ${entry && entry.stream}`;
    if (
      typeof entry.stream !== 'string' ||
      !Number.isSafeInteger(entry.revision) ||
      !Number.isSafeInteger(entry.leafIndex)
    )
      fail(`${where}: not a {stream, revision, leafIndex}`);
    if (heads.has(entry.stream)) fail(`${where}: listed twice`);
    if (!mapRootFromProof(entry, entry.mapProof, where).equals(checkpoint.streamHeadsRoot))
      fail(
        `${where} (revision ${entry.revision}, leaf ${entry.leafIndex}): its map proof does not lead to the signed stream-head root (the head or its proof were altered)`,
      );
    heads.set(entry.stream, { revision: entry.revision, leafIndex: entry.leafIndex });
  }
  return heads;
}

/** v2: each stream of a payment's history ends at its signed head; a proof that stops early leaves events out. */
function assertEndsAtHeads(history, heads) {
  const last = new Map();
  for (const event of history) last.set(event.record.stream, event);
  for (const [stream, event] of last) {
    const head = heads.get(stream);
    if (!head) fail(`${stream}: the proof carries no head for this stream`);
    if (event.record.revision !== head.revision || event.leafIndex !== head.leafIndex)
      fail(
        `${stream}: the proof stops at revision ${event.record.revision} (leaf ${event.leafIndex}) but the stream's head at the checkpoint is revision ${head.revision} (leaf ${head.leafIndex}): later events are left out`,
      );
  }
}

// ---------------------------------------------------------------------------------------------
// RFC 8785 canonical JSON: a leaf must be exactly the canonical form of what it parses to.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function canonicalize(value) {
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) fail(`the number ${value} is not an integer below 2^53 (amounts are strings)`);
    return String(value);
  }
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value)) fail('a string holds a lone surrogate');
    return JSON.stringify(value); // exactly RFC 8785's escaping, given valid Unicode
  }
  if (Array.isArray(value)) return `[${value.map(canonicalize).join(',')}]`;
  // Default sort compares UTF-16 code units, as RFC 8785 section 3.2.3 requires.
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${canonicalize(key)}:${canonicalize(value[key])}`).join(',')}}`;
}

const RECORD_FIELDS = {
  id: 'string',
  stream: 'string',
  revision: 'number',
  type: 'string',
  data: 'object',
  metadata: 'object',
  recordedAt: 'string',
};

/** Parses leaf bytes; refuses anything but the canonical event record (no duplicate keys, no floats). */
function decodeLeaf(bytes, where) {
  let record;
  try {
    record = JSON.parse(bytes.toString('utf8'));
  } catch {
    fail(`${where}: the leaf is not JSON`);
  }
  let canonical;
  try {
    canonical = canonicalize(record);
  } catch (error) {
    fail(`${where}: ${error.message}`);
  }
  if (!Buffer.from(canonical, 'utf8').equals(bytes)) fail(`${where}: the leaf is not in RFC 8785 canonical form`);
  if (typeof record !== 'object' || record === null || Array.isArray(record))
    fail(`${where}: the leaf is not an event record`);
  const keys = Object.keys(record);
  if (keys.length !== 7 || keys.some((key) => typeof record[key] !== RECORD_FIELDS[key] || record[key] === null)) {
    fail(`${where}: the leaf is not an event record {id, stream, revision, type, data, metadata, recordedAt}`);
  }
  return record;
}

// ---------------------------------------------------------------------------------------------
// C2SP signed notes, checkpoints and cosignatures; keys as Go's note package writes them.

const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');
const NAME = /^[^\s+\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/;

function strictBase64(text, what) {
  const bytes = Buffer.from(text, 'base64');
  if (typeof text !== 'string' || bytes.toString('base64') !== text) fail(`${what} is not canonical base64`);
  return bytes;
}
const keyIdOf = (name, type, raw) => sha256(Buffer.from(`${name}\n`, 'utf8'), Buffer.from([type]), raw).subarray(0, 4);

/** `<name>+<key id hex>+<base64(type || key)>`, with `PRIVATE+KEY+` in front for a signer key. */
function parseKey(text, what) {
  const secret = text.startsWith('PRIVATE+KEY+');
  const body = secret ? text.slice('PRIVATE+KEY+'.length) : text;
  const first = body.indexOf('+');
  const second = body.indexOf('+', first + 1);
  if (first < 0 || second < 0) throw new Usage(`${what} is not <name>+<key id>+<key>`);
  const [name, id, data] = [body.slice(0, first), body.slice(first + 1, second), body.slice(second + 1)];
  let bytes;
  try {
    bytes = strictBase64(data, what);
  } catch (error) {
    throw new Usage(error.message);
  }
  if (!NAME.test(name) || !/^[0-9a-f]{8}$/.test(id) || bytes.length !== 33 || ![1, 4].includes(bytes[0])) {
    throw new Usage(`${what} is not an Ed25519 key (type 0x01 note or 0x04 cosignature)`);
  }
  const type = bytes[0];
  const privateKey = secret
    ? crypto.createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, bytes.subarray(1)]), format: 'der', type: 'pkcs8' })
    : null;
  const raw = secret
    ? crypto.createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(12)
    : bytes.subarray(1);
  const keyId = Buffer.from(id, 'hex');
  if (!keyId.equals(keyIdOf(name, type, raw))) throw new Usage(`${what}: its key id does not match the key`);
  const publicKey = crypto.createPublicKey({ key: Buffer.concat([SPKI_ED25519, raw]), format: 'der', type: 'spki' });
  return { name, type, keyId, publicKey, privateKey, label: `${name}+${id}` };
}

/** A note: text (ending in a newline), a blank line, then `— <name> <base64(key id || signature)>` lines. */
function parseNote(message, what) {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f]/.test(message) || LONE_SURROGATE.test(message)) fail(`${what}: not a valid note`);
  const split = message.lastIndexOf('\n\n');
  if (split < 0 || !message.endsWith('\n')) fail(`${what}: not a signed note (text, blank line, signature lines)`);
  if (message.length === split + 2) fail(`${what}: no signature lines`);
  const text = message.slice(0, split + 1);
  const allLines = message.slice(split + 2, -1).split('\n');
  if (allLines.length > 100) fail(`${what}: more than 100 signatures`);
  const lines = [...new Set(allLines)];
  const signatures = lines.map((line) => {
    const match = /^\u2014 (\S+) (\S+)$/.exec(line);
    const bytes = match ? Buffer.from(match[2], 'base64') : Buffer.alloc(0);
    if (!match || bytes.toString('base64') !== match[2] || bytes.length < 5)
      fail(`${what}: malformed signature line '${line.slice(0, 50)}'`);
    return { name: match[1], keyId: bytes.subarray(0, 4), signature: bytes.subarray(4), line };
  });
  return { text, signatures };
}

function signatureVerifies(text, signature, key) {
  if (signature.name !== key.name || !signature.keyId.equals(key.keyId)) return false;
  if (key.type === 1)
    return (
      signature.signature.length === 64 && crypto.verify(null, Buffer.from(text), key.publicKey, signature.signature)
    );
  // cosignature/v1: an 8-byte big-endian POSIX time, then Ed25519 over header, time and text.
  if (signature.signature.length !== 72) return false;
  const time = signature.signature.readBigUInt64BE(0);
  return crypto.verify(
    null,
    Buffer.from(`cosignature/v1\ntime ${time}\n${text}`),
    key.publicKey,
    signature.signature.subarray(8),
  );
}

/** Verifies the log's signature on a checkpoint and reads its origin, size and root. */
function openCheckpoint(message, key, what) {
  const note = parseNote(message, what);
  const mine = note.signatures.filter((s) => s.name === key.name && s.keyId.equals(key.keyId));
  if (mine.length === 0)
    fail(
      `${what}: no signature by ${key.label}; it is signed by ${note.signatures.map((s) => s.name).join(', ')} (forged, or another log)`,
    );
  if (!mine.some((signature) => signatureVerifies(note.text, signature, key)))
    fail(`${what}: the signature by ${key.label} does not verify (forged or altered)`);
  const lines = note.text.slice(0, -1).split('\n');
  if (lines.length < 3 || lines[0] === '' || !/^(0|[1-9][0-9]{0,15})$/.test(lines[1]))
    fail(`${what}: not a checkpoint (origin, size, root)`);
  const root = strictBase64(lines[2], `${what}: the root`);
  if (root.length !== 32) fail(`${what}: the root is not 32 bytes`);
  const extensions = {};
  for (const line of lines.slice(3)) {
    const [name, value, ...rest] = line.split(' ');
    if (name !== 'salur-stream-heads' && name !== 'salur-time') continue; // other extensions are not ours
    if (rest.length > 0 || value === undefined || extensions[name] !== undefined)
      fail(`${what}: malformed or repeated extension line '${line.slice(0, 60)}'`);
    extensions[name] = value;
  }
  const streamHeadsRoot =
    extensions['salur-stream-heads'] === undefined
      ? null
      : strictBase64(extensions['salur-stream-heads'], `${what}: the stream-head root`);
  if (streamHeadsRoot && streamHeadsRoot.length !== 32) fail(`${what}: the stream-head root is not 32 bytes`);
  const time = extensions['salur-time'] === undefined ? null : extensions['salur-time'];
  if (time !== null && Number.isNaN(Date.parse(time))) fail(`${what}: the salur-time line is not a time`);
  return { origin: lines[0], size: Number(lines[1]), root, note, streamHeadsRoot, time };
}

/** The checkpoint must be of the log the inspector means: its origin line, not only its key. */
function assertOrigin(checkpoint, expected, what) {
  if (checkpoint.origin !== expected)
    fail(`${what} is of origin '${checkpoint.origin}', not '${expected}': it speaks for another log`);
}

// ---------------------------------------------------------------------------------------------
// The full-amount rule (the same rules as libs/audit-log/src/domain/payment-evidence.ts).

const AMOUNT = /^(0|[1-9][0-9]{0,14})(\.[0-9]{1,2})?$/;
/** Amounts as BigInt cents: exact decimal arithmetic. */
function cents(value, where) {
  if (typeof value !== 'string' || !AMOUNT.test(value))
    fail(`${where} is not an amount (a decimal string, at most two decimals)`);
  const [whole, fraction = ''] = value.split('.');
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
}
const formatCents = (value) =>
  `${value < 0n ? '-' : ''}${(value < 0n ? -value : value) / 100n}.${String((value < 0n ? -value : value) % 100n).padStart(2, '0')}`;
const amount = (value, where) => formatCents(cents(value, where));

const NEXT = {
  scheduled: ['PaymentBatched'],
  reissued: ['PaymentBatched'],
  batched: ['PaymentUnbatched', 'PaymentSentToBank'],
  sent: ['PaymentCredited', 'PaymentRejected', 'PaymentOutcomeUnknown'],
  'outcome-unknown': ['PaymentCredited', 'PaymentRejected', 'PaymentOutcomeDecisionRequested', 'PaymentOutcomeDecided'],
  credited: ['PaymentDeductionFlagged', 'PaymentReturned', 'PaymentReversalRequested', 'PaymentReversed'],
  rejected: ['PaymentReissued'],
  returned: ['PaymentReissued'],
  'not-credited': ['PaymentReissued'],
  reversed: [],
};

function assertGapless(stream, events) {
  if (events.length === 0) fail(`no event of ${stream} is in the proof`);
  events.forEach(({ leafIndex, record }, expected) => {
    if (record.revision !== expected) {
      fail(
        `${stream}: expected revision ${expected} at leaf ${leafIndex}, found revision ${record.revision}: an event is missing or out of order`,
      );
    }
  });
}

// Four eyes (libs/audit-log/src/domain/four-eyes.ts): the approval the bank file was written under
// names the content hash of the version of the lines, and lists as many distinct canonical
// approvers, none the maker, as the programme's policy in force asks for that version's total.

const USER_ID = /^[a-z0-9][a-z0-9._@-]{0,127}$/;
/** The kernel's canonical user id: trimmed, ASCII letters lower-cased, one pattern; null if none. */
function canonicalUserId(raw) {
  if (typeof raw !== 'string') return null;
  const folded = raw.trim().replace(/[A-Z]/g, (letter) => letter.toLowerCase());
  return USER_ID.test(folded) ? folded : null;
}

function policyInForce(version, policies) {
  const declared = policies
    .filter(
      (event) =>
        event.record.stream === `programme-${version.programmeId}` &&
        event.record.type === 'ApprovalPolicyDeclared' &&
        event.leafIndex < version.policyAt,
    )
    .sort((a, b) => a.leafIndex - b.leafIndex)
    .pop();
  if (!declared)
    return `no approval policy of programme ${version.programmeId} was declared before batch ${version.batchId}'s lines (leaf ${version.policyAt}): its approvals cannot be checked`;
  const tiers = declared.record.data.tiers;
  try {
    for (const tier of tiers) {
      if (!Number.isSafeInteger(tier.approvers)) break;
      if (tier.upTo === null || cents(version.total, 'total') <= cents(tier.upTo, 'upTo'))
        return { leafIndex: declared.leafIndex, required: tier.approvers };
    }
  } catch {
    // a malformed policy, reported below
  }
  return `the approval policy at leaf ${declared.leafIndex} is not a list of tiers ending without a bound`;
}

function approvalFindings(version, approval, records, policies) {
  const policy = policyInForce(version, policies);
  if (typeof policy === 'string') return [policy];
  if (approval === null)
    return [`batch ${version.batchId}'s bank file was written with no approval of its content ${version.contentHash}`];
  const findings = [];
  if (approval.contentHash !== version.contentHash)
    findings.push(
      `the approval at leaf ${approval.leafIndex} names content ${approval.contentHash}; the batch's lines at leaf ${version.leafIndex} have ${version.contentHash}`,
    );
  const maker = canonicalUserId(version.makerId);
  const distinct = new Set();
  for (const raw of Array.isArray(approval.approverIds) ? approval.approverIds : []) {
    const id = canonicalUserId(raw);
    if (id === null)
      findings.push(`approver '${String(raw)}' at leaf ${approval.leafIndex} is not a canonical user id`);
    else if (id === maker) findings.push(`approver ${id} is the batch's maker`);
    else if (distinct.has(id)) findings.push(`approver ${id} is counted twice`);
    else distinct.add(id);
  }
  for (const record of records) {
    const id = canonicalUserId(record.approverId);
    if (id !== null && distinct.has(id) && record.contentHash !== version.contentHash)
      findings.push(
        `the approval by ${id} at leaf ${record.leafIndex} names content ${String(record.contentHash)}, not ${version.contentHash}`,
      );
  }
  if (distinct.size < policy.required)
    findings.push(
      `batch ${version.batchId} (total ${version.total}) needs ${policy.required} distinct approvers other than its maker under the policy declared at leaf ${policy.leafIndex}; it has ${distinct.size}`,
    );
  return findings;
}

// Account binding (libs/audit-log/src/domain/account-binding.ts): every account the payment was
// batched or reissued to is the one its beneficiary's own record held at that leaf, set by the
// latest BeneficiaryEnrolled or BankAccountChanged before it in log order. Account number and
// holder's name are compared as sealed commitments (same subject, kind and commitment: the same
// value), or as clear strings in leaves written before sealing; the bank code in clear.

function accountFieldDifference(paid, held) {
  if (typeof paid === 'string' && typeof held === 'string') return paid === held ? null : 'differs';
  const sealed = (value) =>
    value !== null &&
    typeof value === 'object' &&
    value.sealed === 'salur-pd/1' &&
    ['subject', 'kind', 'commitment'].every((part) => typeof value[part] === 'string')
      ? value
      : null;
  const [left, right] = [sealed(paid), sealed(held)];
  if (left && right) {
    if (left.subject !== right.subject) return `is sealed for ${left.subject}, the record's for ${right.subject}`;
    if (left.kind !== right.kind) return `is sealed as ${left.kind}, the record's as ${right.kind}`;
    return left.commitment === right.commitment ? null : 'differs (another commitment)';
  }
  if ((left && typeof held === 'string') || (right && typeof paid === 'string'))
    return 'is sealed in one and clear in the other: they cannot be compared';
  return 'is neither a string nor a sealed field';
}

function accountBindingFindings(own, events) {
  const scheduled = own[0];
  const beneficiaryId = scheduled.record.data.beneficiaryId;
  if (typeof beneficiaryId !== 'string') fail(`leaf ${scheduled.leafIndex}: PaymentScheduled names no beneficiary`);
  const stream = `beneficiary-${beneficiaryId}`;
  const record = events.filter((event) => event.record.stream === stream);
  if (record.length === 0) fail(`the events of ${stream}, whose account the payment must go to, are not in the proof`);
  assertGapless(stream, record);
  const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);
  const findings = [];
  for (const paid of own.filter((event) => ['PaymentBatched', 'PaymentReissued'].includes(event.record.type))) {
    const where = `the account at leaf ${paid.leafIndex} (${paid.record.type})`;
    // The record's revision the account was read at, when the event names it; else log order.
    const asOf = paid.record.data.beneficiaryRevision;
    if (
      asOf !== undefined &&
      !record.some((event) => event.record.revision === asOf && event.leafIndex < paid.leafIndex)
    ) {
      findings.push(`${where} names revision ${String(asOf)} of ${stream}'s record, which was not logged before it`);
      continue;
    }
    const inForce = record
      .filter(
        (event) =>
          ['BeneficiaryEnrolled', 'BankAccountChanged'].includes(event.record.type) &&
          event.leafIndex < paid.leafIndex &&
          (asOf === undefined || event.record.revision <= Number(asOf)),
      )
      .pop();
    if (!inForce) {
      findings.push(`${where} precedes any account on ${stream}'s record`);
      continue;
    }
    const [account, held] = [paid.record.data.account, inForce.record.data.bankAccount];
    const differences = [];
    if (!isObject(account) || !isObject(held)) {
      differences.push('one of them is not an account {bankCode, accountNumber, accountHolderName}');
    } else {
      if (typeof account.bankCode !== 'string' || account.bankCode !== held.bankCode)
        differences.push(`bankCode ${String(account.bankCode)}, not ${String(held.bankCode)}`);
      for (const field of ['accountNumber', 'accountHolderName']) {
        const difference = accountFieldDifference(account[field], held[field]);
        if (difference) differences.push(`${field} ${difference}`);
      }
    }
    if (differences.length > 0)
      findings.push(
        `${where} is not the one ${stream}'s record held, set at leaf ${inForce.leafIndex} (${inForce.record.type}): ${differences.join('; ')}`,
      );
  }
  return findings;
}

/**
 * Applies the rule to a payment's events and its batches' events, in log order; returns the
 * summary. With `policies` (a v2 document's ApprovalPolicyDeclared events) it checks four eyes;
 * with `bindAccounts` (a v2 document) the accounts against the beneficiary's record in `events`.
 */
// ---------------------------------------------------------------------------------------------
// salur-batch/v2: a batch's content as a Merkle tree of its lines (libs/kernel batch-content-tree.ts,
// libs/audit-log batch-line-evidence.ts). The leaf keeps the lines' root, count and total; the
// proof carries the payment's line and its inclusion path per batch version.

const BATCH_CONTENT_V2 = 'salur-batch/v2';
const HEX_HASH = /^[0-9a-f]{64}$/;

/** SHA-256 of the RFC 8785 header {batchId, count, format, linesRoot, period, programmeId, total}, hex. */
function batchContentHashV2(header) {
  const canonical = JSON.stringify({
    batchId: header.batchId,
    count: header.count,
    format: BATCH_CONTENT_V2,
    linesRoot: header.linesRoot,
    period: header.period,
    programmeId: header.programmeId,
    total: header.total,
  });
  return sha256(Buffer.from(canonical, 'utf8')).toString('hex');
}

/** The version a v2 BatchCreated (`payments` summary) or BatchChanged (`linesRoot`, count, controlSum) leaf states. */
function linesVersionOf(leafIndex, record, header) {
  const { data } = record;
  const summary =
    record.type === 'BatchCreated'
      ? data.payments
      : { linesRoot: data.linesRoot, count: data.count, total: data.controlSum };
  if (typeof summary !== 'object' || summary === null || Array.isArray(summary))
    fail(`leaf ${leafIndex}: a salur-batch/v2 ${record.type} holds no lines summary`);
  const { linesRoot, count } = summary;
  if (typeof linesRoot !== 'string' || !HEX_HASH.test(linesRoot))
    fail(`leaf ${leafIndex}: linesRoot is not a SHA-256 in hex`);
  if (!Number.isSafeInteger(count) || count < 1) fail(`leaf ${leafIndex}: the lines' count is not a positive integer`);
  const total = amount(summary.total, `leaf ${leafIndex}: the lines' total`);
  const contentHash = batchContentHashV2({ ...header, count, total, linesRoot });
  const hashFinding =
    data.contentHash === contentHash
      ? null
      : `the content hash at leaf ${leafIndex} (${String(data.contentHash)}) is not the hash of its lines root, count ${count} and total ${total} (${contentHash})`;
  return { leafIndex, linesRoot, count, total, contentHash, hashFinding };
}

/** The payment's line the version holds, proven by its path; null when the proof gives none for it. */
function provenLineOf(paymentId, version, proofs) {
  const proof = proofs.find((candidate) => candidate.leafIndex === version.leafIndex);
  if (!proof) return null;
  const refuse = (why) =>
    fail(`line-not-in-batch: the line given for the batch version at leaf ${version.leafIndex} ${why}`);
  const line = proof.line;
  if (
    !Array.isArray(line) ||
    line.length !== 5 ||
    typeof line[0] !== 'string' ||
    typeof line[1] !== 'string' ||
    typeof line[2] !== 'string' ||
    !AMOUNT.test(line[2]) ||
    typeof line[3] !== 'string' ||
    !Number.isSafeInteger(line[4])
  )
    refuse('is not [paymentId, beneficiaryId, amount, bankCode, beneficiaryRevision]');
  if (line[0] !== paymentId) refuse(`is payment ${line[0]}'s, not ${paymentId}'s`);
  const path = Array.isArray(proof.inclusionPath) ? proof.inclusionPath : [];
  if (!path.every((hash) => typeof hash === 'string' && HEX_HASH.test(hash)))
    refuse('has an inclusion path that is not SHA-256 hashes in hex');
  let root;
  try {
    // The line's leaf: SHA-256(0x00 ‖ RFC 8785 of the line), which for strings and integers is JSON.stringify.
    const hash = leafHash(Buffer.from(JSON.stringify(line), 'utf8'));
    root = rootFromInclusion(
      proof.index,
      version.count,
      hash,
      path.map((hex) => Buffer.from(hex, 'hex')),
    );
  } catch (error) {
    refuse(`cannot be followed up its inclusion path: ${error.message}`);
  }
  if (root.toString('hex') !== version.linesRoot)
    refuse(`does not lead, with its inclusion path, to the version's lines root ${version.linesRoot}`);
  return {
    beneficiaryId: line[1],
    amount: amount(line[2], 'line amount'),
    bankCode: line[3],
    beneficiaryRevision: line[4],
  };
}

/** The proven line is the one the payment's claim in the batch made: beneficiary, bank, record revision. */
function lineClaimFindings(line, version, beneficiaryId, claim) {
  const findings = [];
  const at = `the line in the batch version at leaf ${version.leafIndex}`;
  if (line.beneficiaryId !== beneficiaryId)
    findings.push(`${at} names beneficiary ${line.beneficiaryId}, not the payment's ${String(beneficiaryId)}`);
  if (!claim) return [...findings, `${at} has no claim (PaymentBatched) of the payment in that batch`];
  const revision = claim.record.data.beneficiaryRevision;
  if (line.beneficiaryRevision !== revision)
    findings.push(
      `${at} binds the account of the beneficiary's record at revision ${line.beneficiaryRevision}; the claim at leaf ${claim.leafIndex} read revision ${String(revision)}`,
    );
  const account = claim.record.data.account || {};
  if (line.bankCode !== account.bankCode)
    findings.push(
      `${at} names bank ${line.bankCode}; the claim at leaf ${claim.leafIndex} names ${String(account.bankCode)}`,
    );
  return findings;
}

/** The RFC 9162 tree over a batch version's lines (in paymentId order): its root and each line's path, hex. */
function linesTreeOf(lines) {
  const leaves = lines.map((line) => leafHash(Buffer.from(JSON.stringify(line), 'utf8')));
  const memo = new Map();
  const split = (n) => {
    let power = 1;
    while (power * 2 < n) power *= 2;
    return power;
  };
  const rootOf = (start, end) => {
    if (end - start === 1) return leaves[start];
    const key = `${start}:${end}`;
    if (!memo.has(key)) {
      const middle = start + split(end - start);
      memo.set(key, nodeHash(rootOf(start, middle), rootOf(middle, end)));
    }
    return memo.get(key);
  };
  const pathOf = (index, start, end) => {
    if (end - start <= 1) return [];
    const middle = start + split(end - start);
    return index < middle
      ? [...pathOf(index, start, middle), rootOf(middle, end)]
      : [...pathOf(index, middle, end), rootOf(start, middle)];
  };
  return {
    root: (leaves.length === 0 ? EMPTY_ROOT : rootOf(0, leaves.length)).toString('hex'),
    pathOf: (index) => pathOf(index, 0, leaves.length).map((hash) => hash.toString('hex')),
  };
}

/**
 * The full-log audit's view of salur-batch/v2 batches: each exported line list must give its
 * BatchCreated leaf's root, count and total (so the lines do sum to the signed total), each
 * BatchChanged's root the lines minus those removed; returns every payment's line proofs.
 */
function batchLineProofsOf(batchLeaves, exported) {
  const proofs = new Map();
  for (const [stream, leaves] of batchLeaves) {
    const created = leaves.find(({ record }) => record.type === 'BatchCreated');
    if (!created || created.record.data.contentFormat !== BATCH_CONTENT_V2) continue;
    let lines = exported.get(created.leafIndex);
    if (!Array.isArray(lines))
      fail(`the export holds no lines for ${stream}'s BatchCreated at leaf ${created.leafIndex}`);
    lines = [...lines].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const summary = created.record.data.payments || {};
    const amountAt = lines[0] && lines[0].length === 2 ? 1 : 2;
    const total = formatCents(
      lines.reduce((sum, line) => sum + cents(line[amountAt], `${stream}: a line's amount`), 0n),
    );
    let tree = linesTreeOf(lines);
    if (tree.root !== summary.linesRoot || lines.length !== summary.count || total !== summary.total)
      fail(
        `the lines exported for ${stream} (leaf ${created.leafIndex}) give root ${tree.root}, ${lines.length} lines for ${total}; the leaf says ${summary.linesRoot}, ${summary.count} for ${summary.total}`,
      );
    const versions = [{ leafIndex: created.leafIndex, lines, tree }];
    for (const { leafIndex, record } of leaves) {
      if (record.type !== 'BatchChanged') continue;
      const removed = new Set((record.data.removedPaymentIds || []).map(String));
      lines = lines.filter((line) => !removed.has(String(line[0])));
      tree = linesTreeOf(lines);
      if (tree.root !== record.data.linesRoot)
        fail(`${stream}: the lines left after the change at leaf ${leafIndex} do not give its lines root`);
      versions.push({ leafIndex, lines, tree });
    }
    for (const version of versions) {
      version.lines.forEach((line, index) => {
        const list = proofs.get(String(line[0])) || [];
        list.push({ leafIndex: version.leafIndex, line, index, inclusionPath: version.tree.pathOf(index) });
        proofs.set(String(line[0]), list);
      });
    }
  }
  return proofs;
}

function assessPayment(paymentId, events, policies, bindAccounts, batchLines = []) {
  for (let i = 1; i < events.length; i++) {
    if (events[i].leafIndex <= events[i - 1].leafIndex) {
      fail(
        `the history is not in log order: leaf ${events[i].leafIndex} is listed after leaf ${events[i - 1].leafIndex}`,
      );
    }
  }
  const stream = `payment-${paymentId}`;
  const own = events.filter((event) => event.record.stream === stream);
  assertGapless(stream, own);
  if (own[0].record.type !== 'PaymentScheduled')
    fail(`${stream} starts with ${own[0].record.type}, not PaymentScheduled`);
  own.forEach(
    ({ leafIndex, record }) =>
      record.data.paymentId === paymentId || fail(`leaf ${leafIndex}: data.paymentId is not ${paymentId}`),
  );
  const approved = amount(own[0].record.data.amount, `leaf ${own[0].leafIndex}: amount`);
  const walk = {
    status: 'scheduled',
    attempt: 1,
    batchId: null,
    reversalRequested: false,
    credit: null,
    outcomes: new Map(),
    claims: new Map(),
    discrepancies: [],
  };
  for (const { leafIndex, record } of own.slice(1)) {
    const { type, data } = record;
    if (!NEXT[walk.status].includes(type)) fail(`leaf ${leafIndex}: ${type} cannot follow a ${walk.status} payment`);
    const batchId = typeof data.batchId === 'string' ? data.batchId : null;
    const inSameBatch = () =>
      batchId === walk.batchId ||
      fail(`leaf ${leafIndex}: ${type} names batch ${batchId}; the payment is in batch ${walk.batchId}`);
    if (type === 'PaymentBatched') {
      if (batchId === null) fail(`leaf ${leafIndex}: PaymentBatched names no batch`);
      Object.assign(walk, { status: 'batched', batchId });
      walk.claims.set(batchId, { leafIndex, record });
    } else if (type === 'PaymentUnbatched') {
      inSameBatch();
      Object.assign(walk, { status: walk.attempt > 1 ? 'reissued' : 'scheduled', batchId: null });
    } else if (type === 'PaymentSentToBank') {
      inSameBatch();
      walk.status = 'sent';
      walk.outcomes.set(batchId, null);
    } else if (type === 'PaymentCredited') {
      inSameBatch();
      const credited = amount(data.creditedAmount, `leaf ${leafIndex}: creditedAmount`);
      const recordedApproved = amount(data.approvedAmount, `leaf ${leafIndex}: approvedAmount`);
      const recordedDeduction = amount(data.deductedAmount, `leaf ${leafIndex}: deductedAmount`);
      if (recordedApproved !== approved)
        walk.discrepancies.push(
          `the credit at leaf ${leafIndex} records approved ${recordedApproved}; the payment was approved for ${approved}`,
        );
      const deducted = formatCents(cents(approved) - cents(credited));
      if (recordedDeduction !== deducted)
        walk.discrepancies.push(
          `the credit at leaf ${leafIndex} records a deduction of ${recordedDeduction}; approved − credited is ${deducted}`,
        );
      Object.assign(walk, { status: 'credited', credit: { batchId, creditedAmount: credited } });
      walk.outcomes.set(batchId, leafIndex);
    } else if (type === 'PaymentRejected') {
      inSameBatch();
      walk.status = 'rejected';
      walk.outcomes.set(batchId, leafIndex);
    } else if (type === 'PaymentDeductionFlagged') {
      const flagged = amount(data.deductedAmount, `leaf ${leafIndex}: deductedAmount`);
      const deducted = formatCents(cents(approved) - cents(walk.credit ? walk.credit.creditedAmount : approved));
      if (flagged !== deducted)
        walk.discrepancies.push(
          `the deduction flagged at leaf ${leafIndex} (${flagged}) is not approved − credited (${deducted})`,
        );
    } else if (type === 'PaymentReturned') {
      inSameBatch();
      Object.assign(walk, { status: 'returned', credit: null });
    } else if (type === 'PaymentOutcomeUnknown') {
      inSameBatch();
      walk.status = 'outcome-unknown';
    } else if (type === 'PaymentOutcomeDecided') {
      inSameBatch();
      walk.outcomes.set(batchId, leafIndex);
      if (data.outcome !== 'credited') {
        walk.status = 'not-credited';
      } else {
        const credited = amount(data.amount, `leaf ${leafIndex}: amount`);
        Object.assign(walk, { status: 'credited', credit: { batchId, creditedAmount: credited } });
        walk.discrepancies.push(
          `the credit at leaf ${leafIndex} was decided by two officers (${String(data.requestedBy)}, ${String(data.decidedBy)}), not reported by the bank`,
        );
      }
    } else if (type === 'PaymentReissued') {
      Object.assign(walk, {
        status: 'reissued',
        attempt: typeof data.attempt === 'number' ? data.attempt : walk.attempt + 1,
        reversalRequested: false,
      });
    } else if (type === 'PaymentReversalRequested') {
      walk.reversalRequested = true;
    } else if (type === 'PaymentReversed') {
      if (!walk.reversalRequested) fail(`leaf ${leafIndex}: a reversal nobody requested`);
      walk.status = 'reversed';
    }
  }
  const files = new Map();
  for (const [batchId, outcomeAt] of walk.outcomes) {
    files.set(
      batchId,
      bankFileOf(
        batchId,
        events.filter((event) => event.record.stream === `batch-${batchId}`),
        {
          paymentId,
          beneficiaryId: own[0].record.data.beneficiaryId,
          claim: walk.claims.get(batchId),
          lines: Array.isArray(batchLines) ? batchLines : [],
        },
        outcomeAt,
        policies,
      ),
    );
  }
  const accountFindings = bindAccounts ? accountBindingFindings(own, events) : [];
  const known = new Set([stream, ...[...walk.outcomes.keys()].map((id) => `batch-${id}`)]);
  if (bindAccounts) known.add(`beneficiary-${own[0].record.data.beneficiaryId}`);
  const stranger = events.find((event) => !known.has(event.record.stream));
  if (stranger)
    fail(
      `leaf ${stranger.leafIndex} (${stranger.record.type} in ${stranger.record.stream}) belongs neither to the payment nor to a batch it was sent in`,
    );
  const summary = summarize(walk, approved, files);
  // Overrides every other verdict, and exits 3 like them: the proof holds, the ledger paid elsewhere.
  if (accountFindings.length === 0) return summary;
  return { ...summary, verdict: 'account-not-bound', discrepancies: [...accountFindings, ...summary.discrepancies] };
}

/** What the batch's pain.001, logged before the bank's answer, says of this payment (null: none). */
function bankFileOf(batchId, events, payment, outcomeAt, policies) {
  const { paymentId } = payment;
  const stream = `batch-${batchId}`;
  if (events.length === 0) fail(`the events of ${stream}, which the payment was sent in, are not in the proof`);
  assertGapless(stream, events);
  // The creation workflow starts the stream with BatchCreationStarted, where the policy is taken.
  const first = events[0].record.type === 'BatchCreationStarted' ? 1 : 0;
  if (!events[first] || events[first].record.type !== 'BatchCreated')
    fail(`${stream} starts with ${events[0].record.type}, not BatchCreated`);
  const lines = new Map();
  let v2 = null;
  let file = null;
  let version = null;
  let approval = null;
  let records = [];
  const v2VersionOf = (leafIndex, record, header) => {
    const lines = linesVersionOf(leafIndex, record, header);
    return { header, version: lines, line: provenLineOf(paymentId, lines, payment.lines) };
  };
  const versionOf = (data, makerId, programmeId, policyAt, leafIndex) => ({
    batchId,
    programmeId,
    makerId,
    contentHash: String(data.contentHash),
    total: formatCents([...lines.values()].reduce((sum, value) => sum + cents(value), 0n)),
    policyAt,
    leafIndex,
  });
  for (const { leafIndex, record } of events) {
    if (outcomeAt !== null && leafIndex > outcomeAt) break;
    const { type, data } = record;
    if (data.batchId !== batchId) fail(`leaf ${leafIndex}: data.batchId is not ${batchId}`);
    const list = (value, field) => (Array.isArray(value) ? value : fail(`leaf ${leafIndex}: ${field} is not a list`));
    if (type === 'BatchCreated') {
      const policyAt = first === 1 ? events[0].leafIndex : leafIndex;
      const [makerId, programmeId] = [String(data.makerId), String(data.programmeId)];
      if (data.contentFormat === BATCH_CONTENT_V2) {
        v2 = v2VersionOf(leafIndex, record, { batchId, programmeId, period: String(data.period) });
        const { contentHash, total } = v2.version;
        version = { batchId, programmeId, makerId, contentHash, total, policyAt, leafIndex };
      } else {
        for (const line of list(data.payments, 'payments'))
          lines.set(String(line.paymentId), amount(line.amount, `leaf ${leafIndex}: payments[].amount`));
        version = versionOf(data, makerId, programmeId, policyAt, leafIndex);
      }
      [approval, records] = [null, []];
    } else if (type === 'BatchChanged' && version !== null) {
      if (v2) {
        v2 = v2VersionOf(leafIndex, record, v2.header);
        const { contentHash, total } = v2.version;
        version = { ...version, contentHash, total, policyAt: leafIndex, leafIndex };
      } else {
        for (const removed of list(data.removedPaymentIds, 'removedPaymentIds')) lines.delete(String(removed));
        version = versionOf(data, version.makerId, version.programmeId, leafIndex, leafIndex);
      }
      [approval, records] = [null, []];
    } else if (type === 'BatchApprovalRecorded') {
      records.push({ leafIndex, approverId: data.approverId, contentHash: data.contentHash });
    } else if (type === 'BatchApproved') {
      approval = { leafIndex, contentHash: data.contentHash, approverIds: data.approverIds };
    } else if (type === 'BatchFileGenerated' && data.format === 'pain001' && v2) {
      const fileSum = amount(data.controlSum, `leaf ${leafIndex}: controlSum`);
      const { version: lines, line } = v2;
      const discrepancies = lines.hashFinding ? [lines.hashFinding] : [];
      if (data.count !== lines.count || fileSum !== lines.total)
        discrepancies.push(
          `the bank file at leaf ${leafIndex} lists ${data.count} payments for ${fileSum}; the batch version at leaf ${lines.leafIndex} has ${lines.count} for ${lines.total}`,
        );
      file = {
        sha256: typeof data.sha256 === 'string' && /^[0-9a-f]{64}$/.test(data.sha256) ? data.sha256 : null,
        chargeBearer: typeof data.chargeBearer === 'string' ? data.chargeBearer : null,
        instructedAmount: line ? line.amount : null,
        discrepancies,
        approvalFindings: policies && version ? approvalFindings(version, approval, records, policies) : [],
        lineFindings: line ? lineClaimFindings(line, lines, payment.beneficiaryId, payment.claim) : [],
      };
    } else if (type === 'BatchFileGenerated' && data.format === 'pain001') {
      const controlSum = formatCents([...lines.values()].reduce((sum, value) => sum + cents(value), 0n));
      const fileSum = amount(data.controlSum, `leaf ${leafIndex}: controlSum`);
      const discrepancies =
        data.count !== lines.size || fileSum !== controlSum
          ? [
              `the bank file at leaf ${leafIndex} lists ${data.count} payments for ${fileSum}; the batch has ${lines.size} for ${controlSum}`,
            ]
          : [];
      file = {
        sha256: typeof data.sha256 === 'string' && /^[0-9a-f]{64}$/.test(data.sha256) ? data.sha256 : null,
        chargeBearer: typeof data.chargeBearer === 'string' ? data.chargeBearer : null,
        instructedAmount: lines.get(paymentId) ?? null,
        discrepancies,
        approvalFindings: policies && version ? approvalFindings(version, approval, records, policies) : [],
        lineFindings: [],
      };
    }
  }
  return file;
}

function summarize(walk, approved, files) {
  const batchId = walk.credit
    ? walk.credit.batchId
    : walk.status === 'sent' || walk.status === 'outcome-unknown'
      ? walk.batchId
      : null;
  const file = batchId === null ? null : (files.get(batchId) ?? null);
  const base = {
    approvedAmount: approved,
    batchId,
    instructedAmount: file ? file.instructedAmount : null,
    chargeBearer: file ? file.chargeBearer : null,
    bankFileSha256: file ? file.sha256 : null,
    status: walk.status,
  };
  if (walk.status !== 'credited' || walk.credit === null) {
    const reversed = walk.status === 'reversed';
    const discrepancies = [
      ...walk.discrepancies,
      reversed ? 'the credit was reversed' : `the payment is ${walk.status}, not credited`,
    ];
    return {
      ...base,
      creditedAmount: null,
      deductedAmount: null,
      verdict: reversed ? 'reversed' : 'not-credited',
      discrepancies,
    };
  }
  const creditedAmount = walk.credit.creditedAmount;
  const deductedAmount = formatCents(cents(approved) - cents(creditedAmount));
  const found = [];
  if (deductedAmount !== '0.00')
    found.push(['deduction', `credited ${creditedAmount} of the approved ${approved}: ${deductedAmount} deducted`]);
  if (file === null) {
    found.push(['bank-file-missing', `no pain.001 of batch ${batchId} was logged before the bank's answer`]);
  } else {
    for (const text of file.lineFindings) found.push(['account-not-bound', text]);
    if (file.instructedAmount === null)
      found.push(['instructed-amount-differs', `batch ${batchId}'s file does not list this payment`]);
    else if (file.instructedAmount !== approved)
      found.push([
        'instructed-amount-differs',
        `the bank file instructs ${file.instructedAmount}; the approved amount is ${approved}`,
      ]);
    if (file.chargeBearer !== 'DEBT')
      found.push([
        'charges-not-borne-by-debtor',
        `the bank file's ChrgBr is ${file.chargeBearer ?? 'absent'}, not DEBT`,
      ]);
    for (const text of file.discrepancies) found.push(['bank-file-differs-from-batch', text]);
    for (const text of file.approvalFindings) found.push(['insufficient-approvals', text]);
  }
  const verdict =
    found.length > 0 ? found[0][0] : walk.discrepancies.length > 0 ? 'inconsistent-credit' : 'full-amount';
  return {
    ...base,
    creditedAmount,
    deductedAmount,
    verdict,
    discrepancies: [...found.map(([, text]) => text), ...walk.discrepancies],
  };
}

const SUMMARY_FIELDS = [
  'approvedAmount',
  'batchId',
  'instructedAmount',
  'chargeBearer',
  'bankFileSha256',
  'creditedAmount',
  'deductedAmount',
  'status',
  'verdict',
];

// ---------------------------------------------------------------------------------------------
// Proof documents.

/**
 * The checkpoint in hand must be at least as fresh as the one the inspector saved, and extend it:
 * a consistency proof shows only that a newer tree extends an older one, so a proof against an
 * older checkpoint than the saved one is refused (it may leave out what was logged since).
 */
function checkAgainstSaved(saved, current, consistency) {
  if (saved.origin !== current.origin)
    fail(`your saved checkpoint is of '${saved.origin}', this one of '${current.origin}'`);
  if (current.size < saved.size)
    fail(
      `the proof's checkpoint (size ${current.size}) is older than your saved checkpoint (size ${saved.size}): it may leave out what was logged since; fetch a fresh proof`,
    );
  const [older, newer] = [saved, current];
  if (older.size === newer.size || older.size === 0)
    return verifyConsistency(older.size, newer.size, [], older.root, newer.root);
  if (!consistency)
    fail(
      `no consistency proof from size ${older.size} to ${newer.size}: ask for the proof with ?since=${older.size}, or pass --consistency`,
    );
  if (consistency.fromSize !== older.size || consistency.toSize !== newer.size) {
    fail(
      `the consistency proof is from ${consistency.fromSize} to ${consistency.toSize}, not from ${older.size} to ${newer.size}`,
    );
  }
  const proof = (consistency.proof || []).map((hash, i) => strictBase64(hash, `consistency hash ${i}`));
  verifyConsistency(older.size, newer.size, proof, older.root, newer.root);
}

function verifyProof(file, options) {
  const key = parseKey(required(options.vkey, '--vkey'), '--vkey');
  if (key.type !== 1) throw new Usage('--vkey must be the log’s key (type 0x01), not a witness key');
  const document = readJson(file);
  if (document.format !== 'salur-proof/v1' && document.format !== 'salur-proof/v2')
    fail(`${file} is not a Salur proof (format salur-proof/v1 or v2)`);
  const v2 = document.format === 'salur-proof/v2';
  const checkpoint = openCheckpoint(String(document.checkpoint), key, 'the checkpoint');
  assertOrigin(checkpoint, options.origin || key.name, 'the checkpoint');
  for (const witnessText of options.witness) {
    const witness = parseKey(witnessText, '--witness');
    if (!checkpoint.note.signatures.some((signature) => signatureVerifies(checkpoint.note.text, signature, witness))) {
      fail(`the checkpoint carries no valid cosignature by witness ${witness.label}`);
    }
  }

  const events = new Map();
  for (const event of document.events || []) {
    const where = `leaf ${event.leafIndex}`;
    if (!Number.isSafeInteger(event.leafIndex) || events.has(event.leafIndex))
      fail(`${where}: a missing or repeated leaf index`);
    const bytes = strictBase64(event.leafBytes, `${where}: leafBytes`);
    const path = (event.inclusionPath || []).map((hash, i) => strictBase64(hash, `${where}: inclusion hash ${i}`));
    // The bytes are hashed exactly as given: nothing is re-serialized before hashing.
    if (!rootFromInclusion(event.leafIndex, checkpoint.size, leafHash(bytes), path).equals(checkpoint.root)) {
      fail(
        `${where}: its inclusion path does not lead to the signed root of size ${checkpoint.size} (the event's bytes or its path were altered)`,
      );
    }
    const record = decodeLeaf(bytes, where);
    if (event.type !== undefined && event.type !== record.type)
      fail(`${where}: listed as ${event.type} but the bytes say ${record.type}`);
    events.set(event.leafIndex, record);
  }

  const payments = document.payments || [];
  if (payments.length === 0) fail('the document proves no payment');
  const heads = v2 ? streamHeadsOf(document, checkpoint) : null;
  // The policies four eyes is checked against: every ApprovalPolicyDeclared the document proves.
  const policies = v2
    ? [...events]
        .filter(([, record]) => record.type === 'ApprovalPolicyDeclared' && record.stream.startsWith('programme-'))
        .map(([leafIndex, record]) => ({ leafIndex, record }))
    : undefined;
  const results = payments.map((payment) => {
    const history = (payment.leafIndexes || []).map((leafIndex) => {
      const record = events.get(leafIndex);
      return record
        ? { leafIndex, record }
        : fail(`payment ${payment.paymentId}: leaf ${leafIndex} is not in the document`);
    });
    let summary;
    try {
      summary = assessPayment(String(payment.paymentId), history, policies, v2, payment.batchLines);
      if (heads) assertEndsAtHeads(history, heads);
    } catch (error) {
      throw new Failure(`payment ${payment.paymentId}: ${error.message}`);
    }
    if (!payment.summary) fail(`payment ${payment.paymentId}: the document has no summary`);
    for (const field of SUMMARY_FIELDS) {
      if (payment.summary[field] !== summary[field]) {
        fail(
          `payment ${payment.paymentId}: the document says ${field} ${payment.summary[field]}, the events say ${summary[field]}`,
        );
      }
    }
    return { paymentId: payment.paymentId, summary, history };
  });
  checkSubject(document, results);
  if (options.checkpoint) {
    const saved = openCheckpoint(
      fs.readFileSync(options.checkpoint, 'utf8'),
      key,
      `your saved checkpoint ${options.checkpoint}`,
    );
    assertOrigin(saved, options.origin || key.name, `your saved checkpoint ${options.checkpoint}`);
    checkAgainstSaved(saved, checkpoint, options.consistency ? readJson(options.consistency) : document.consistency);
  }
  if (options.bankFile) checkBankFile(options.bankFile, results);
  return report(document, results, checkpoint, options);
}

/** The payments are those the document claims to be about. */
function checkSubject(document, results) {
  const find = (result, type) =>
    result.history.find((event) => event.record.type === type && event.record.stream === `payment-${result.paymentId}`);
  if (document.kind === 'payment') {
    if (results.length !== 1 || results[0].paymentId !== document.paymentId)
      fail(
        `the document is about payment ${document.paymentId} but proves ${results.map((r) => r.paymentId).join(', ')}`,
      );
  } else if (document.kind === 'beneficiary') {
    for (const result of results) {
      if (find(result, 'PaymentScheduled').record.data.beneficiaryId !== document.beneficiaryId)
        fail(`payment ${result.paymentId} is not of beneficiary ${document.beneficiaryId}`);
    }
  } else if (document.kind === 'batch') {
    for (const result of results) {
      const inBatch = result.history.some(
        (event) => event.record.type === 'PaymentBatched' && event.record.data.batchId === document.batchId,
      );
      if (!inBatch) fail(`payment ${result.paymentId} was never in batch ${document.batchId}`);
    }
  } else {
    fail(`unknown proof kind '${document.kind}'`);
  }
}

/** Optional: the pain.001 itself. Its SHA-256 must be the logged one; its InstdAmt and ChrgBr are read. */
function checkBankFile(file, results) {
  const bytes = fs.readFileSync(file);
  const digest = sha256(bytes).toString('hex');
  const result = results.find((r) => r.summary.bankFileSha256 === digest);
  if (!result) fail(`${file} (SHA-256 ${digest}) is not the bank file of any payment in the proof`);
  const xml = bytes.toString('utf8');
  const bearers = [...xml.matchAll(/<ChrgBr>([^<]*)<\/ChrgBr>/g)].map((match) => match[1]);
  if (bearers.length === 0 || bearers.some((bearer) => bearer !== 'DEBT'))
    fail(`${file}: ChrgBr is ${bearers.join(', ') || 'absent'}, not DEBT`);
  const endToEndId = String(result.paymentId).replace(/-/g, '');
  const transaction = [...xml.matchAll(/<CdtTrfTxInf>([\s\S]*?)<\/CdtTrfTxInf>/g)].find((match) =>
    match[1].includes(`<EndToEndId>${endToEndId}</EndToEndId>`),
  );
  if (!transaction) fail(`${file} has no transaction with EndToEndId ${endToEndId}`);
  const instructed = /<InstdAmt Ccy="[A-Z]{3}">([^<]+)<\/InstdAmt>/.exec(transaction[1]);
  if (!instructed || amount(instructed[1], `${file}: InstdAmt`) !== result.summary.instructedAmount) {
    fail(
      `${file} instructs ${instructed ? instructed[1] : 'nothing'} for payment ${result.paymentId}; the log says ${result.summary.instructedAmount}`,
    );
  }
  result.bankFileChecked = file;
}

const V1_LIMITS =
  'a v1 document cannot show that its streams end at their heads (a later reversal or return may be left out), nor four eyes against the programme policy, nor that each account paid was the one on the beneficiary’s record';

function report(document, results, checkpoint, options) {
  const full = results.filter((result) => result.summary.verdict === 'full-amount');
  const where =
    `${document.events.length} events proven in ${checkpoint.origin} at size ${checkpoint.size}` +
    (checkpoint.time ? ` as of ${checkpoint.time}` : ' (the checkpoint states no time)') +
    (options.checkpoint ? `, consistent with your checkpoint ${path.basename(options.checkpoint)}` : '') +
    (options.witness.length > 0 ? `, cosigned by ${options.witness.length} witness(es)` : '') +
    (document.format === 'salur-proof/v1'
      ? `; ${V1_LIMITS}`
      : '; streams end at their signed heads, four eyes checked, accounts checked against the beneficiary’s record');
  if (document.kind === 'payment') {
    const s = results[0].summary;
    const facts = `approved ${s.approvedAmount}, instructed ${s.instructedAmount ?? '—'} (ChrgBr ${s.chargeBearer ?? '—'}${s.bankFileSha256 ? `, pain.001 ${s.bankFileSha256.slice(0, 12)}…` : ''}${results[0].bankFileChecked ? ', file checked' : ''}), credited ${s.creditedAmount ?? '—'}, deducted ${s.deductedAmount ?? '—'}`;
    if (s.verdict === 'full-amount')
      return { code: 0, line: `OK payment ${document.paymentId}: full-amount: ${facts}; ${where}` };
    return {
      code: 3,
      line: `VERIFIED payment ${document.paymentId}: ${s.verdict}: ${s.discrepancies.join('; ')} (${facts}; ${where})`,
    };
  }
  const subject = `${document.kind} ${document.kind === 'batch' ? document.batchId : document.beneficiaryId}`;
  if (full.length === results.length)
    return { code: 0, line: `OK ${subject}: all ${results.length} payments full-amount; ${where}` };
  const others = results
    .filter((result) => result.summary.verdict !== 'full-amount')
    .map((r) => `${r.paymentId} ${r.summary.verdict}`);
  return {
    code: 3,
    line: `VERIFIED ${subject}: ${full.length} of ${results.length} payments full-amount; ${others.slice(0, 5).join(', ')}${others.length > 5 ? ', …' : ''}; ${where}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Full-log audit: recompute every signed root from every leaf.

function verifyLog(directory, options) {
  const key = parseKey(required(options.vkey, '--vkey'), '--vkey');
  const checkpointDirectory = path.join(directory, 'checkpoints');
  const names = fs.existsSync(checkpointDirectory)
    ? fs.readdirSync(checkpointDirectory).filter((name) => name.endsWith('.txt'))
    : [];
  const signed = names.map((name) =>
    openCheckpoint(fs.readFileSync(path.join(checkpointDirectory, name), 'utf8'), key, `checkpoints/${name}`),
  );
  if (options.checkpoint)
    signed.push(
      openCheckpoint(fs.readFileSync(options.checkpoint, 'utf8'), key, `your saved checkpoint ${options.checkpoint}`),
    );
  if (signed.length === 0) fail(`${directory} holds no signed checkpoint`);
  signed.sort((a, b) => a.size - b.size);
  const origins = new Set(signed.map((checkpoint) => checkpoint.origin));
  if (origins.size > 1) fail(`the checkpoints name several origins: ${[...origins].join(', ')}`);

  const tree = new TreeBuilder();
  const revisions = new Map();
  const ids = new Set();
  const payments = options.payments ? new Map() : null;
  let next = 0;
  const checkRoots = () => {
    for (; next < signed.length && signed[next].size === tree.size; next++) {
      if (!tree.root().equals(signed[next].root))
        fail(`the ${tree.size} first leaves do not hash to the signed root of size ${tree.size}: the log was altered`);
    }
  };
  checkRoots();
  forEachLine(path.join(directory, 'leaves.jsonl'), (bytes) => {
    const where = `leaf ${tree.size}`;
    const record = decodeLeaf(bytes, where);
    if (ids.has(record.id)) fail(`${where}: event ${record.id} is logged twice`);
    ids.add(record.id);
    const expected = revisions.has(record.stream) ? revisions.get(record.stream) + 1 : 0;
    if (record.revision !== expected)
      fail(
        `${where}: ${record.stream} revision ${record.revision} where ${expected} was due: an event is missing or out of order`,
      );
    revisions.set(record.stream, record.revision);
    if (payments && /^(payment|batch)-/.test(record.stream)) {
      const list = payments.get(record.stream) || [];
      list.push({ leafIndex: tree.size, record });
      payments.set(record.stream, list);
    }
    tree.push(leafHash(bytes));
    checkRoots();
  });
  if (next < signed.length)
    fail(
      `a checkpoint of size ${signed[next].size} is signed but the export holds only ${tree.size} leaves: leaves are missing`,
    );
  const latest = signed[signed.length - 1];
  let line = `OK log ${latest.origin}: ${tree.size} leaves; the roots of ${signed.length} signed checkpoints (sizes ${signed[0].size} to ${latest.size}) recomputed from the leaves; ${revisions.size} streams, revisions gapless`;
  if (tree.size > latest.size)
    line += `; ${tree.size - latest.size} leaves after the latest checkpoint are not signed yet`;
  if (!payments) return { code: 0, line };
  const exportedLines = new Map();
  const linesFile = path.join(directory, 'batch-lines.jsonl');
  if (fs.existsSync(linesFile))
    forEachLine(linesFile, (bytes) => {
      const entry = JSON.parse(bytes.toString('utf8'));
      exportedLines.set(entry.leafIndex, entry.lines);
    });
  const batchLeaves = [...payments].filter(([stream]) => stream.startsWith('batch-'));
  return auditAllPayments(payments, line, batchLineProofsOf(batchLeaves, exportedLines));
}

function auditAllPayments(streams, line, batchLines) {
  const verdicts = new Map();
  const flagged = [];
  for (const [stream, own] of streams) {
    if (!stream.startsWith('payment-')) continue;
    const paymentId = stream.slice('payment-'.length);
    const batches = new Set(
      own.filter((e) => e.record.type === 'PaymentSentToBank').map((e) => `batch-${e.record.data.batchId}`),
    );
    const history = [...own, ...[...batches].flatMap((batch) => streams.get(batch) || [])].sort(
      (a, b) => a.leafIndex - b.leafIndex,
    );
    let verdict;
    try {
      verdict = assessPayment(paymentId, history, undefined, false, batchLines.get(paymentId) || []).verdict;
    } catch (error) {
      fail(`payment ${paymentId}: ${error.message}`);
    }
    verdicts.set(verdict, (verdicts.get(verdict) || 0) + 1);
    if (!['full-amount', 'not-credited'].includes(verdict)) flagged.push(`${paymentId} ${verdict}`);
  }
  const counts = [...verdicts].map(([verdict, count]) => `${count} ${verdict}`).join(', ');
  if (flagged.length === 0) return { code: 0, line: `${line}; payments: ${counts || 'none'}` };
  return {
    code: 3,
    line: `${line}; payments: ${counts}; look at: ${flagged.slice(0, 10).join(', ')}${flagged.length > 10 ? ', …' : ''}`,
  };
}

/** Calls `onLine` with each newline-terminated line's bytes, reading the file in chunks. */
function forEachLine(file, onLine) {
  const fd = fs.openSync(file, 'r');
  const chunk = Buffer.alloc(1 << 20);
  let carry = Buffer.alloc(0);
  try {
    for (let read; (read = fs.readSync(fd, chunk, 0, chunk.length, null)) > 0;) {
      let data = Buffer.concat([carry, chunk.subarray(0, read)]);
      for (let end; (end = data.indexOf(0x0a)) >= 0; data = data.subarray(end + 1))
        onLine(Buffer.from(data.subarray(0, end)));
      carry = data;
    }
  } finally {
    fs.closeSync(fd);
  }
  if (carry.length > 0) fail(`${file} ends in the middle of a leaf`);
}

// ---------------------------------------------------------------------------------------------
// Witness cosigning (C2SP tlog-cosignature, cosignature/v1) for an inspector's office.

function cosign(file, options) {
  const logKey = parseKey(required(options.vkey, '--vkey'), '--vkey');
  const witness = parseKey(
    fs
      .readFileSync(required(options.key, '--key'), 'utf8')
      .trim()
      .replace(/^WITNESS_SIGNING_KEY=/, ''),
    '--key',
  );
  if (!witness.privateKey || witness.type !== 4)
    throw new Usage('--key must hold a cosignature/v1 signer key (npm run cli -- audit keygen --witness)');
  const message = fs.readFileSync(file, 'utf8');
  const checkpoint = openCheckpoint(message, logKey, file);
  assertOrigin(checkpoint, options.origin || logKey.name, file);
  if (options.checkpoint) {
    const saved = openCheckpoint(fs.readFileSync(options.checkpoint, 'utf8'), logKey, options.checkpoint);
    checkAgainstSaved(saved, checkpoint, options.consistency ? readJson(options.consistency) : undefined);
  }
  const time = BigInt(Math.floor(Date.now() / 1000));
  const signature = crypto.sign(
    null,
    Buffer.from(`cosignature/v1\ntime ${time}\n${checkpoint.note.text}`),
    witness.privateKey,
  );
  const stamp = Buffer.alloc(8);
  stamp.writeBigUInt64BE(time);
  const line = `\u2014 ${witness.name} ${Buffer.concat([witness.keyId, stamp, signature]).toString('base64')}`;
  const others = checkpoint.note.signatures
    .filter((s) => !(s.name === witness.name && s.keyId.equals(witness.keyId)))
    .map((s) => s.line);
  return { code: 0, line: `${checkpoint.note.text}\n${[...others, line].join('\n')}`, raw: true };
}

// ---------------------------------------------------------------------------------------------
// Command line.

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Usage(`cannot read ${file}: ${error.message}`);
  }
}
function required(value, flag) {
  if (!value) throw new Usage(`${flag} is required`);
  return value;
}

const USAGE = `Usage:
  salur-verify <proof.json> --vkey <vkey> [--origin <origin>] [--checkpoint <saved.txt>] [--consistency <c.json>] [--witness <vkey>]... [--bank-file <pain001.xml>]
  salur-verify log <dir> --vkey <vkey> [--checkpoint <saved.txt>] [--payments]
  salur-verify cosign <checkpoint.txt> --vkey <log vkey> --key <witness key file> [--checkpoint <saved.txt> --consistency <c.json>]
  salur-verify statement <camt.053|camt.054 file> <proof.json> --vkey <vkey> [proof options]: the proof's credits against the bank's statement
  salur-verify disclose <proof.json> --kind <nik|kk|name|account-number|account-holder-name|free-text> --value <clear value> --commitment-key <base64url>: which sealed fields commit to that value
Exit: 0 verified and full amount, 3 verified but not full amount, 1 verification failed, 2 usage.`;

function parseArguments(argv) {
  const options = { witness: [], positionals: [] };
  const flags = {
    '--vkey': 'vkey',
    '--checkpoint': 'checkpoint',
    '--consistency': 'consistency',
    '--witness': 'witness',
    '--bank-file': 'bankFile',
    '--key': 'key',
    '--origin': 'origin',
    '--kind': 'kind',
    '--value': 'value',
    '--commitment-key': 'commitmentKey',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--payments') options.payments = true;
    else if (arg === '--help' || arg === '-h') options.help = true;
    else if (flags[arg]) {
      if (i + 1 >= argv.length) throw new Usage(`${arg} needs a value`);
      const value = argv[++i];
      if (arg === '--witness') options.witness.push(value);
      else options[flags[arg]] = value;
    } else if (arg.startsWith('--')) throw new Usage(`unknown option ${arg}`);
    else options.positionals.push(arg);
  }
  return options;
}

function main(argv) {
  try {
    const options = parseArguments(argv);
    if (options.help) return { code: 0, line: USAGE };
    const [first, second, ...rest] = options.positionals;
    if (first === 'log' && second && rest.length === 0) return verifyLog(second, options);
    if (first === 'cosign' && second && rest.length === 0) return cosign(second, options);
    if (first === 'statement' && second && rest.length === 1)
      // Required here, not on top: the proof check alone still runs from a copy of this one file.
      return require('./salur-verify-statement').checkStatement(second, rest[0], options, { verifyProof, Usage });
    if (first === 'disclose' && second && rest.length === 0) return disclose(second, options);
    if (first && !second) return verifyProof(first, options);
    throw new Usage('expected a proof file, `log <dir>` or `cosign <checkpoint>`');
  } catch (error) {
    if (error instanceof Usage) return { code: 2, line: `salur-verify: ${error.message}\n${USAGE}`, error: true };
    if (error instanceof Failure) return { code: 1, line: `FAILED: ${error.message}`, error: true };
    return { code: 1, line: `FAILED: ${error && error.message ? error.message : String(error)}`, error: true };
  }
}

/** Which of a proof's sealed fields commit to a value the caller was given in clear (exit 0), or none (1). */
function disclose(file, options) {
  const { disclosedIn } = require('./salur-verify-disclosure');
  let matches;
  try {
    matches = disclosedIn(readJson(file), {
      kind: required(options.kind, '--kind'),
      value: required(options.value, '--value'),
      commitmentKey: required(options.commitmentKey, '--commitment-key'),
    });
  } catch (error) {
    if (error instanceof Usage) throw error;
    throw new Usage(error.message);
  }
  if (matches.length === 0)
    return { code: 1, line: `FAILED: no sealed ${options.kind} in ${file} commits to that value`, error: true };
  const lines = matches.map((match) => `  leaf ${match.leafIndex} ${match.type} ${match.path} (${match.subject})`);
  return {
    code: 0,
    line: `OK ${matches.length} sealed ${options.kind} field(s) commit to the value:\n${lines.join('\n')}`,
  };
}

if (require.main === module) {
  const result = main(process.argv.slice(2));
  (result.error ? process.stderr : process.stdout).write(`${result.line}\n`);
  process.exitCode = result.code;
}

module.exports = { main };
