/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS on purpose: no build step, no dependencies */
'use strict';
/**
 * salur-verify statement <camt.053|camt.054 file> <proof.json> --vkey <vkey> [proof options]
 *
 * Checks the credits a proof document shows against a statement (camt.053) or a debit
 * notification (camt.054) that the inspector obtained from the bank directly: every payment the
 * proven ledger holds as credited must appear there as a booked debit of the treasury account,
 * by its EndToEndId or the bank's own reference recorded with the credit, for the same amount
 * (compared decimal for decimal, never as a float) in rupiah. The proof itself is verified
 * first, by the main verifier, so the credits compared are the ones the signed log holds.
 *
 * Like the verifier, it depends on Node's standard library only. Its XML reader is deliberately
 * small: UTF-8 only, no DOCTYPE (so no DTD, no entity declarations, no external entities), only
 * the five predefined entities and character references, bounded size, depth and element count.
 */
const fs = require('node:fs');
const { Buffer } = require('node:buffer');
const { TextDecoder } = require('node:util');

const LEDGER_CURRENCY = 'IDR';
const MAX_STATEMENT_BYTES = 256 * 1024 * 1024;
const MAX_DEPTH = 64;
const MAX_ELEMENTS = 20_000_000;
const MAX_FIELDS_PER_SCOPE = 1_000;
/** Discrepancies listed one per line; the rest are counted. */
const MAX_LISTED = 200;

class StatementError extends Error {}
const refuse = (message) => {
  throw new StatementError(message);
};

// ---------------------------------------------------------------------------------------------
// A minimal, careful XML reader: start/end/text events with namespaces resolved.

const NAME = /^[A-Za-z_][A-Za-z0-9._-]*(?::[A-Za-z_][A-Za-z0-9._-]*)?$/;
const ATTRIBUTE = /\s*([^\s=/>]+)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/y;
const NO_ATTRIBUTES = new Map();
const PREDEFINED = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** `at`: where the text starts, for the message only (built on a refusal, not for every text). */
function decodeText(text, at) {
  if (!text.includes('&')) return text;
  const where = `at character ${at}`;
  return text.replace(/&([^;&\s]{0,10});?/g, (whole, name) => {
    if (!whole.endsWith(';')) refuse(`${where}: a bare '&' (malformed XML)`);
    if (Object.prototype.hasOwnProperty.call(PREDEFINED, name)) return PREDEFINED[name];
    const match = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(name);
    const code = match ? parseInt(match[1] ?? match[2], match[1] ? 16 : 10) : NaN;
    if (!match || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) || code === 0)
      refuse(`${where}: the entity &${name}; is not declared (only the five XML entities are read)`);
    return String.fromCodePoint(code);
  });
}

/** Reads the XML declaration; only UTF-8 (or no declaration) is read. */
function readDeclaration(text) {
  if (!text.startsWith('<?xml')) return 0;
  const end = text.indexOf('?>');
  if (end < 0) refuse('the XML declaration is not closed');
  const encoding = /encoding\s*=\s*["']([^"']*)["']/.exec(text.slice(0, end));
  if (encoding && encoding[1].toUpperCase() !== 'UTF-8')
    refuse(`the statement is in ${encoding[1]}; only UTF-8 is read`);
  return end + 2;
}

/**
 * Walks the document, calling `open(local, namespace, attributes)`, `text(string)` and
 * `close()`. Refuses a DOCTYPE, an undeclared entity, mismatched tags, a second root, text
 * outside the root, and anything past the bounds.
 */
function walkXml(text, handler) {
  let at = readDeclaration(text);
  const stack = [];
  let elements = 0;
  let rootSeen = false;
  const where = () => `at character ${at}`;
  while (at < text.length) {
    const lt = text.indexOf('<', at);
    const chunk = text.slice(at, lt < 0 ? text.length : lt);
    if (chunk.length > 0) {
      if (stack.length === 0) {
        if (chunk.trim() !== '') refuse(`text outside the document element ${where()}`);
      } else handler.text(decodeText(chunk, at));
    }
    if (lt < 0) break;
    at = lt;
    if (text.startsWith('<!--', at)) {
      const end = text.indexOf('-->', at + 4);
      if (end < 0) refuse('a comment is not closed');
      at = end + 3;
    } else if (text.startsWith('<![CDATA[', at)) {
      if (stack.length === 0) refuse(`CDATA outside the document element ${where()}`);
      const end = text.indexOf(']]>', at + 9);
      if (end < 0) refuse('a CDATA section is not closed');
      handler.text(text.slice(at + 9, end));
      at = end + 3;
    } else if (text.startsWith('<!', at)) {
      // DOCTYPE, ENTITY, anything else: no reason for one in an ISO 20022 message.
      refuse(`a DOCTYPE or other markup declaration ${where()} is refused (no DTD, no entities)`);
    } else if (text.startsWith('<?', at)) {
      const end = text.indexOf('?>', at + 2);
      if (end < 0) refuse('a processing instruction is not closed');
      if (/^<\?xml[\s?]/i.test(text.slice(at, at + 6))) refuse(`a misplaced XML declaration ${where()}`);
      at = end + 2;
    } else if (text.startsWith('</', at)) {
      const end = text.indexOf('>', at);
      if (end < 0) refuse('an end tag is not closed');
      const name = text.slice(at + 2, end).trim();
      const open = stack.pop();
      if (!open || open.name !== name) refuse(`</${name}> ${where()} does not close <${open ? open.name : ''}>`);
      handler.close();
      at = end + 1;
    } else {
      const end = text.indexOf('>', at);
      if (end < 0) refuse('a start tag is not closed');
      const selfClosing = text[end - 1] === '/';
      const body = text.slice(at + 1, selfClosing ? end - 1 : end);
      const nameEnd = body.search(/[\s]|$/);
      const name = body.slice(0, nameEnd);
      if (!NAME.test(name)) refuse(`'<${name.slice(0, 40)}' ${where()} is not an element name`);
      if (stack.length === 0 && rootSeen) refuse(`a second document element <${name}> ${where()}`);
      if (stack.length >= MAX_DEPTH) refuse(`the statement nests deeper than ${MAX_DEPTH} elements`);
      if (++elements > MAX_ELEMENTS) refuse(`the statement has more than ${MAX_ELEMENTS} elements`);
      // Most elements have no attribute: they share one empty map.
      const attributes = nameEnd === body.length ? NO_ATTRIBUTES : new Map();
      if (attributes !== NO_ATTRIBUTES) {
        ATTRIBUTE.lastIndex = nameEnd;
        let rest = nameEnd;
        for (let match; (match = ATTRIBUTE.exec(body)) !== null; rest = ATTRIBUTE.lastIndex) {
          if (attributes.has(match[1])) refuse(`attribute ${match[1]} repeated ${where()}`);
          attributes.set(match[1], decodeText(match[2] ?? match[3], at));
        }
        if (body.slice(rest).trim() !== '') refuse(`a malformed start tag <${name}> ${where()}`);
      }
      // The parent's declarations are shared until an element declares its own: one map per declaration, not per element.
      let namespaces = stack.length > 0 ? stack[stack.length - 1].namespaces : new Map();
      for (const [key, value] of attributes) {
        if (key !== 'xmlns' && !key.startsWith('xmlns:')) continue;
        if (namespaces === (stack.length > 0 ? stack[stack.length - 1].namespaces : null))
          namespaces = new Map(namespaces);
        namespaces.set(key === 'xmlns' ? '' : key.slice(6), value);
      }
      const colon = name.indexOf(':');
      const prefix = colon < 0 ? '' : name.slice(0, colon);
      const namespace = namespaces.get(prefix);
      if (prefix !== '' && namespace === undefined) refuse(`the prefix of <${name}> is not declared`);
      stack.push({ name, namespaces });
      rootSeen = true;
      handler.open(colon < 0 ? name : name.slice(colon + 1), namespace ?? '', attributes);
      if (selfClosing) {
        stack.pop();
        handler.close();
      }
      at = end + 1;
    }
  }
  if (stack.length > 0) refuse(`the statement ends inside <${stack[stack.length - 1].name}> (truncated?)`);
  if (!rootSeen) refuse('the statement holds no document element');
}

// ---------------------------------------------------------------------------------------------
// camt.053 / camt.054: the entries and their transactions, as strings.

const MESSAGES = {
  'camt.053': { message: 'BkToCstmrStmt', container: 'Stmt' },
  'camt.054': { message: 'BkToCstmrDbtCdtNtfctn', container: 'Ntfctn' },
};
const NAMESPACE = /^urn:iso:std:iso:20022:tech:xsd:(camt\.05[34])\.001\.(\d{2})$/;

/** A scope collects the text and attributes of its subtree by relative path, except nested scopes. */
function scope() {
  return { fields: new Map(), path: [] };
}
function setField(target, key, value) {
  if (target.fields.has(key)) return; // the first occurrence is the one read
  if (target.fields.size >= MAX_FIELDS_PER_SCOPE) refuse(`an element holds more than ${MAX_FIELDS_PER_SCOPE} fields`);
  target.fields.set(key, value);
}

/** Reads a camt.053 or camt.054 into its accounts' entries, each with its transactions. */
function readStatement(bytes) {
  if (bytes.length > MAX_STATEMENT_BYTES) refuse(`the statement is larger than ${MAX_STATEMENT_BYTES} bytes`);
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    refuse('the statement is not UTF-8');
  }
  // Each entry becomes its movements as it closes; its fields are not kept (memory grows with movements only).
  const statement = { namespace: null, containers: [], entryCount: 0, movements: [] };
  let expected = null;
  // Elements of the document's namespace, by local name, from the Document down; others are skipped whole.
  const path = [];
  let foreign = 0;
  let container = null;
  let entry = null;
  let transaction = null;
  const texts = [];
  walkXml(text, {
    open(local, namespace, attributes) {
      if (foreign > 0 || (path.length > 0 && namespace !== statement.namespace)) {
        foreign++;
        return;
      }
      if (path.length === 0) {
        const message = NAMESPACE.exec(namespace);
        if (local !== 'Document' || !message)
          refuse(
            `not a camt.053 or camt.054 statement: the document is <${local}> in ${namespace || 'no namespace'} (expected urn:iso:std:iso:20022:tech:xsd:camt.053.001.xx or camt.054.001.xx)`,
          );
        statement.namespace = namespace;
        expected = MESSAGES[message[1]];
      }
      if (path.length === 1 && local !== expected.message)
        refuse(`a ${version(statement)} document holds <${local}>, not <${expected.message}>`);
      path.push(local);
      texts.push('');
      const depth = path.length;
      if (depth === 3 && local === expected.container) {
        container = { ...scope(), depth };
        statement.containers.push(container);
      } else if (container && depth === 4 && local === 'Ntry') {
        entry = { ...scope(), depth, transactions: [], container };
        statement.entryCount++;
      } else if (entry && depth === 6 && local === 'TxDtls' && path[4] === 'NtryDtls') {
        transaction = { ...scope(), depth };
        entry.transactions.push(transaction);
      } else {
        const target = transaction || entry || container;
        if (target) {
          target.path.push(local);
          for (const [name, value] of attributes) {
            if (!name.startsWith('xmlns')) setField(target, `${target.path.join('/')}@${name}`, value);
          }
        }
      }
    },
    text(value) {
      if (foreign === 0 && texts.length > 0) texts[texts.length - 1] += value;
    },
    close() {
      if (foreign > 0) {
        foreign--;
        return;
      }
      const depth = path.length;
      const value = texts.pop().trim();
      path.pop();
      if (transaction && depth === transaction.depth) transaction = null;
      else if (entry && depth === entry.depth) {
        // A loop, not a spread: a batch-booked entry may carry more transactions than a call takes arguments.
        for (const movement of movementsOfEntry(entry, statement.entryCount)) statement.movements.push(movement);
        entry = null;
      } else if (container && depth === container.depth) container = null;
      else {
        const target = transaction || entry || container;
        if (target) {
          // NtryDtls is the frame of the transactions: nothing of its own to keep.
          if (value !== '' && target.path.length > 0) setField(target, target.path.join('/'), value);
          target.path.pop();
        }
      }
    },
  });
  return statement;
}

/** One booked or pending movement per transaction; an entry without details is one movement itself. */
function movementsOfEntry(entry, entryNumber) {
  const movements = [];
  const e = entry.fields;
  const base = {
    entryNumber,
    entryReference: e.get('NtryRef') ?? null,
    status: e.get('Sts/Cd') ?? e.get('Sts') ?? null,
    bookingDate: e.get('BookgDt/Dt') ?? e.get('BookgDt/DtTm') ?? null,
    account: accountOf(entry.container.fields),
  };
  const single = entry.transactions.length <= 1;
  const details = entry.transactions.length === 0 ? [{ fields: new Map() }] : entry.transactions;
  details.forEach((transaction, index) => {
    const t = transaction.fields;
    const amount = t.get('Amt') ?? t.get('AmtDtls/TxAmt/Amt') ?? (single ? e.get('Amt') : undefined) ?? null;
    const currency =
      t.get('Amt@Ccy') ?? t.get('AmtDtls/TxAmt/Amt@Ccy') ?? (single ? e.get('Amt@Ccy') : undefined) ?? null;
    movements.push({
      ...base,
      transactionNumber: index + 1,
      endToEndId: t.get('Refs/EndToEndId') ?? null,
      accountServicerReference: t.get('Refs/AcctSvcrRef') ?? e.get('AcctSvcrRef') ?? null,
      creditDebit: t.get('CdtDbtInd') ?? e.get('CdtDbtInd') ?? null,
      isReturn: t.has('RtrInf/Rsn/Cd') || t.has('RtrInf/Rsn/Prtry') || t.has('RtrInf/AddtlInf'),
      amount,
      currency,
    });
  });
  return movements;
}

/** The message and version a namespace names, e.g. camt.053.001.08. */
function version(statement) {
  return String(statement.namespace).split(':').pop();
}

function accountOf(fields) {
  return fields.get('Acct/Id/IBAN') ?? fields.get('Acct/Id/Othr/Id') ?? null;
}

// ---------------------------------------------------------------------------------------------
// Exact decimals: amounts are compared as digit strings, never as numbers.

const DECIMAL = /^([0-9]{1,20})(?:\.([0-9]{1,10}))?$/;
function canonicalDecimal(value) {
  const match = typeof value === 'string' ? DECIMAL.exec(value) : null;
  if (!match) return null;
  const whole = match[1].replace(/^0+(?=.)/, '');
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  return fraction === '' ? whole : `${whole}.${fraction}`;
}
function sameAmount(left, right) {
  const a = canonicalDecimal(left);
  return a !== null && a === canonicalDecimal(right);
}

// ---------------------------------------------------------------------------------------------
// The proof's credits: what the signed log says each payment's current standing is.

const compact = (paymentId) => String(paymentId).replace(/-/g, '').toLowerCase();

/**
 * The credit each payment stands on at the proof's checkpoint (null when it is not credited),
 * and the payments the ledger says were never paid (rejected, or decided not credited).
 */
function creditsOf(document) {
  const records = new Map();
  for (const event of document.events || []) {
    records.set(event.leafIndex, JSON.parse(Buffer.from(String(event.leafBytes), 'base64').toString('utf8')));
  }
  return (document.payments || []).map((payment) => {
    const stream = `payment-${payment.paymentId}`;
    let credit = null;
    let unpaid = null;
    for (const leafIndex of payment.leafIndexes || []) {
      const record = records.get(leafIndex);
      if (!record || record.stream !== stream) continue;
      const { type, data } = record;
      if (type === 'PaymentCredited') {
        credit = { leafIndex, source: 'bank', amount: data.creditedAmount, evidence: data.bankEvidence ?? null };
        unpaid = null;
      } else if (type === 'PaymentOutcomeDecided') {
        credit =
          data.outcome === 'credited' ? { leafIndex, source: 'officers', amount: data.amount, evidence: null } : null;
        unpaid = data.outcome === 'credited' ? null : { leafIndex, status: 'decided not credited' };
      } else if (type === 'PaymentRejected') {
        unpaid = { leafIndex, status: 'rejected' };
      } else if (['PaymentReturned', 'PaymentReversed'].includes(type)) {
        credit = null;
      } else if (['PaymentReissued', 'PaymentSentToBank'].includes(type)) {
        credit = null;
        unpaid = null;
      }
    }
    return { paymentId: String(payment.paymentId), endToEndId: compact(payment.paymentId), credit, unpaid };
  });
}

// ---------------------------------------------------------------------------------------------
// Matching.

const describe = (m) =>
  `entry ${m.entryNumber}${m.entryReference ? ` (NtryRef ${m.entryReference})` : ''}` +
  `${m.accountServicerReference ? ` AcctSvcrRef ${m.accountServicerReference}` : ''}`;

function matchesReference(movement, evidence) {
  if (!evidence) return false;
  return (
    (evidence.accountServicerReference !== null &&
      movement.accountServicerReference === evidence.accountServicerReference) ||
    (evidence.entryReference !== null && movement.entryReference === evidence.entryReference)
  );
}

const idOf = (movement) => (movement.endToEndId === null ? null : movement.endToEndId.trim().toLowerCase());

/** The statement's movements by EndToEndId and by each reference: a lookup per payment, not a scan. */
function indexMovements(movements) {
  const index = { byEndToEndId: new Map(), byAccountServicerReference: new Map(), byEntryReference: new Map() };
  const add = (map, key, movement) => {
    if (key === null) return;
    const list = map.get(key);
    if (list) list.push(movement);
    else map.set(key, [movement]);
  };
  movements.forEach((movement, order) => {
    movement.order = order;
    add(index.byEndToEndId, idOf(movement), movement);
    add(index.byAccountServicerReference, movement.accountServicerReference, movement);
    add(index.byEntryReference, movement.entryReference, movement);
  });
  return index;
}

/** Movements not yet claimed by another payment that carry its EndToEndId or a reference its credit recorded, in statement order. */
function candidatesOf(index, endToEndId, evidence, claimed) {
  const found = new Set(index.byEndToEndId.get(endToEndId) ?? []);
  if (evidence) {
    for (const movement of index.byAccountServicerReference.get(evidence.accountServicerReference) ?? [])
      found.add(movement);
    for (const movement of index.byEntryReference.get(evidence.entryReference) ?? []) found.add(movement);
  }
  return [...found].filter((movement) => !claimed.has(movement)).sort((a, b) => a.order - b.order);
}

/** Names what is wrong with one credited payment against the statement, or returns null when it is shown. */
function checkCredit(payment, index, claimed) {
  const { credit, endToEndId } = payment;
  const sameId = (m) => idOf(m) === endToEndId;
  const candidates = candidatesOf(index, endToEndId, credit.evidence, claimed);
  const debits = candidates.filter((m) => m.creditDebit === 'DBIT' && !m.isReturn);
  if (debits.length === 0) {
    const returned = candidates.find((m) => m.creditDebit === 'CRDT' && m.isReturn);
    if (returned) return ['RETURNED_IN_STATEMENT', `the statement shows only a return of it (${describe(returned)})`];
    const references = credit.evidence
      ? [credit.evidence.accountServicerReference, credit.evidence.entryReference].filter((r) => r !== null)
      : [];
    return [
      'MISSING_FROM_STATEMENT',
      `the statement shows no debit with EndToEndId ${endToEndId}${references.length > 0 ? ` or reference ${references.join(', ')}` : ''}`,
    ];
  }
  const fits = (m) => m.status === 'BOOK' && m.currency === LEDGER_CURRENCY && sameAmount(m.amount, credit.amount);
  // The movement the bank's own reference names comes first; then any with the EndToEndId.
  const ranked = [...debits.filter((m) => matchesReference(m, credit.evidence)), ...debits];
  const chosen = ranked.find(fits) ?? ranked.find((m) => m.status === 'BOOK') ?? ranked[0];
  claimed.add(chosen);
  if (chosen.status !== 'BOOK')
    return [
      'NOT_BOOKED',
      `the statement shows it ${chosen.status ?? 'without a status'}, not booked (${describe(chosen)})`,
    ];
  if (chosen.currency !== LEDGER_CURRENCY)
    return [
      'CURRENCY_DIFFERS',
      `the statement shows ${chosen.currency ?? 'no currency'} ${chosen.amount ?? ''}; the ledger credited ${LEDGER_CURRENCY} ${credit.amount} (${describe(chosen)})`,
    ];
  if (!sameAmount(chosen.amount, credit.amount))
    return [
      'AMOUNT_DIFFERS',
      `the statement shows ${chosen.currency} ${chosen.amount ?? '(no amount)'}; the ledger credited ${credit.amount} (${describe(chosen)})`,
    ];
  if (chosen.endToEndId !== null && !sameId(chosen))
    return [
      'END_TO_END_ID_DIFFERS',
      `the bank's reference names a transaction with EndToEndId ${chosen.endToEndId} (${describe(chosen)})`,
    ];
  const recorded = credit.evidence ? credit.evidence.accountServicerReference : null;
  if (recorded !== null && chosen.accountServicerReference !== null && chosen.accountServicerReference !== recorded)
    return [
      'REFERENCE_DIFFERS',
      `the ledger recorded the bank's reference ${recorded}; the statement's debit is ${chosen.accountServicerReference}`,
    ];
  return null;
}

/** A booked debit for a payment the ledger says was never paid: money may have left twice. */
function checkUnpaid(payment, index, claimed) {
  const paid = candidatesOf(index, payment.endToEndId, null, claimed).find(
    (m) => m.status === 'BOOK' && m.creditDebit === 'DBIT' && !m.isReturn,
  );
  if (!paid) return null;
  claimed.add(paid);
  return [
    'PAID_BUT_NOT_CREDITED_IN_LEDGER',
    `the statement shows a booked debit of ${paid.currency ?? ''} ${paid.amount ?? ''} (${describe(paid)}); the ledger says ${payment.unpaid.status} at leaf ${payment.unpaid.leafIndex}`,
  ];
}

// ---------------------------------------------------------------------------------------------
// The subcommand.

/**
 * `helpers` come from salur-verify.js: `verifyProof(file, options)` (throws on a proof that does
 * not verify) and its `Usage` error class.
 */
function checkStatement(statementFile, proofFile, options, helpers) {
  if (!options.vkey)
    throw new helpers.Usage('statement needs --vkey: the proof is verified before its credits are compared');
  const proofResult = helpers.verifyProof(proofFile, options);
  let statement;
  try {
    statement = readStatement(fs.readFileSync(statementFile));
  } catch (error) {
    if (error instanceof StatementError) return failed(`${statementFile}: ${error.message}`);
    throw error;
  }
  const document = JSON.parse(fs.readFileSync(proofFile, 'utf8'));
  const index = indexMovements(statement.movements);
  const payments = creditsOf(document);
  const claimed = new Set();
  const problems = [];
  let credited = 0;
  let byReference = 0;
  let byOfficers = 0;
  for (const payment of payments) {
    if (!payment.credit) continue;
    credited++;
    const problem = checkCredit(payment, index, claimed);
    if (problem) {
      problems.push(`payment ${payment.paymentId} (credit at leaf ${payment.credit.leafIndex}): ${problem.join(': ')}`);
    } else if (payment.credit.source === 'officers') byOfficers++;
    else if (payment.credit.evidence) byReference++;
  }
  for (const payment of payments) {
    if (payment.credit || !payment.unpaid) continue;
    const problem = checkUnpaid(payment, index, claimed);
    if (problem) problems.push(`payment ${payment.paymentId}: ${problem.join(': ')}`);
  }
  const accounts = [...new Set(statement.containers.map((c) => accountOf(c.fields)).filter(Boolean))];
  const about =
    `${statementFile.split(/[\\/]/).pop()} (${version(statement)}, account ${accounts.join(', ') || 'not named'}, ` +
    `${statement.entryCount} entries)`;
  if (problems.length > 0) {
    const listed = problems.slice(0, MAX_LISTED).map((problem) => `  ${problem}`);
    if (problems.length > MAX_LISTED) listed.push(`  … and ${problems.length - MAX_LISTED} more`);
    return failed(
      `statement ${about}: ${problems.length} discrepanc${problems.length === 1 ? 'y' : 'ies'} with the ${credited} credited payments of the proof\n${listed.join('\n')}`,
    );
  }
  if (credited === 0) return failed(`statement ${about}: the proof holds no credited payment to check`);
  const byIdOnly = credited - byReference - byOfficers;
  const notes = [
    ...(byReference > 0 ? [`${byReference} with the bank's references recorded in the credit`] : []),
    ...(byIdOnly > 0 ? [`${byIdOnly} recorded without them, matched by EndToEndId`] : []),
    ...(byOfficers > 0 ? [`${byOfficers} decided by two officers, shown by the bank by EndToEndId`] : []),
  ];
  const line = `OK statement ${about}: all ${credited} credited payments of the proof shown booked for the same amount in ${LEDGER_CURRENCY} (${notes.join('; ')})`;
  // A verified proof that shows a payment not credited in full still exits 3, as the proof command does.
  return proofResult.code === 3 ? { code: 3, line: `${line}\n${proofResult.line}` } : { code: 0, line };
}

function failed(message) {
  return { code: 1, line: `FAILED: ${message}`, error: true };
}

module.exports = { checkStatement, readStatement, sameAmount };
