/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS on purpose: no build step, no dependencies */
'use strict';
/**
 * salur-verify disclose <proof.json> --kind <kind> --value <value> --commitment-key <base64url>
 *
 * A proof carries personal data only sealed: `{ sealed: "salur-pd/1", subject, kind, commitment,
 * ciphertext }`, where commitment = base64url(HMAC-SHA256(commitment key, UTF-8 value)) and the
 * commitment key belongs to one person and one kind. Whoever is given the value and that key (the
 * beneficiary, an inspector with the grant) can check here which of the proof's events commit to
 * exactly that value: for instance that the account a payment was batched to is their account.
 * It learns nothing about other kinds or other people. Run the main verifier on the same proof
 * first: this command reads the leaves, it does not check their inclusion.
 *
 * Exit codes: 0 at least one event commits to the value; 1 none does; 2 wrong usage.
 */
const crypto = require('node:crypto');
const { Buffer } = require('node:buffer');

const SEALED_FORMAT = 'salur-pd/1';
const KINDS = ['nik', 'kk', 'name', 'account-number', 'account-holder-name', 'free-text'];
const MAX_DEPTH = 64;

function commitmentOf(commitmentKey, value) {
  return crypto.createHmac('sha256', commitmentKey).update(value, 'utf8').digest('base64url');
}

/** Every sealed envelope in a value, with its path. */
function sealedFields(value, path, found, depth) {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return found;
  if (value.sealed === SEALED_FORMAT && typeof value.commitment === 'string') {
    found.push({ path, field: value });
    return found;
  }
  for (const [key, item] of Object.entries(value)) {
    sealedFields(item, Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key, found, depth + 1);
  }
  return found;
}

/**
 * The events of a proof document whose sealed fields of `kind` commit to `value`.
 * @returns {{ leafIndex: number, type: string, stream: string, path: string, subject: string }[]}
 */
function disclosedIn(document, { kind, value, commitmentKey }) {
  if (!KINDS.includes(kind)) throw new Error(`--kind must be one of ${KINDS.join(', ')}`);
  const key = Buffer.from(commitmentKey, 'base64url');
  if (key.length !== 32) throw new Error('--commitment-key must be 32 bytes in base64url');
  const expected = Buffer.from(commitmentOf(key, value), 'base64url');
  const matches = [];
  for (const event of document.events ?? []) {
    const leaf = JSON.parse(Buffer.from(event.leafBytes, 'base64').toString('utf8'));
    for (const { path, field } of sealedFields(leaf.data, '', [], 0)) {
      const given = Buffer.from(field.commitment, 'base64url');
      if (field.kind === kind && given.length === expected.length && crypto.timingSafeEqual(given, expected)) {
        matches.push({
          leafIndex: event.leafIndex,
          type: leaf.type,
          stream: leaf.stream,
          path,
          subject: field.subject,
        });
      }
    }
  }
  return matches;
}

module.exports = { disclosedIn, commitmentOf };
