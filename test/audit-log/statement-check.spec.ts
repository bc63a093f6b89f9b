import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { bankIntegrationConfigFrom, BankResultsIngestion, compactId } from '@salur/bank-integration';
import { camt053, camt054, type StatementMovement } from '../bank-integration/support/statement-files';
import { xsdErrors } from '../bank-integration/support/xsd';
import { beneficiary, recordRound } from './support/ledger-history';
import { LogFixture, openLogFixture, runVerifier, writeJson, writeText } from './support/log-fixture';

const TREASURY_ACCOUNT = '0012301000000099';
const context = {
  actor: { userId: 'ingest', role: 'bank-integration' as const },
  now: '2026-11-27T09:00:00.000Z',
  correlationId: 'c',
  causationId: 'j',
};

/**
 * `salur-verify statement`: the credits a verified proof shows, against a statement the inspector
 * obtained from the bank. The credits come from a real ingestion of a camt.054, so they carry
 * the bank's references; the statements are written here and valid against the ISO schemas.
 */
/* eslint-disable-next-line @typescript-eslint/no-require-imports -- the verifier is plain CommonJS on purpose */
const statementModule = require('../../tools/salur-verify-statement.js') as {
  sameAmount(left: string | null, right: string | null): boolean;
  readStatement(bytes: Buffer): { movements: unknown[] };
};

describe('salur-verify statement: its own decimals and XML reader', () => {
  it('compares amounts as decimals, never as floats', () => {
    expect(statementModule.sameAmount('600000.00', '600000')).toBe(true);
    expect(statementModule.sameAmount('0600000.50000', '600000.5')).toBe(true);
    // Equal as doubles (17 significant digits), different as amounts.
    expect(Number('1000000000000.00001')).toBe(Number('1000000000000.00'));
    expect(statementModule.sameAmount('1000000000000.00001', '1000000000000.00')).toBe(false);
    for (const bad of ['1e6', '-600000.00', '600000,00', ' 600000', '', null])
      expect(statementModule.sameAmount(bad, bad)).toBe(false);
  });

  it('refuses undeclared entities, truncated and mis-nested documents, other encodings', () => {
    const camt = (body: string, declaration = '<?xml version="1.0" encoding="UTF-8"?>') =>
      Buffer.from(
        `${declaration}<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>${body}</BkToCstmrStmt></Document>`,
      );
    expect(statementModule.readStatement(camt('<GrpHdr><MsgId>A&amp;B&#x41;</MsgId></GrpHdr>')).movements).toEqual([]);
    expect(() => statementModule.readStatement(camt('<GrpHdr><MsgId>&xxe;</MsgId></GrpHdr>'))).toThrow(/not declared/);
    expect(() => statementModule.readStatement(camt('<GrpHdr><MsgId>A</GrpHdr>'))).toThrow(/does not close/);
    const whole = camt('<GrpHdr><MsgId>A</MsgId></GrpHdr>').toString();
    const truncated = Buffer.from(whole.slice(0, whole.indexOf('</GrpHdr>') + '</GrpHdr>'.length));
    expect(() => statementModule.readStatement(truncated)).toThrow(/ends inside <BkToCstmrStmt> \(truncated\?\)/);
    expect(() => statementModule.readStatement(camt('', '<?xml version="1.0" encoding="ISO-8859-1"?>'))).toThrow(
      /only UTF-8/,
    );
    expect(() => statementModule.readStatement(Buffer.from([0x3c, 0x41, 0xff, 0x3e]))).toThrow(/not UTF-8/);
  });
});

describe('salur-verify statement', () => {
  let fixture: LogFixture;
  let proof: string;
  let vkey: string;
  let movements: StatementMovement[];
  let paymentIds: readonly string[];

  /** Ingests a camt.054 for the payments as the bank-integration jobs do. */
  async function ingest(notification: string) {
    expect(await xsdErrors(notification, 'camt.054.001.08')).toEqual([]);
    const directory = join(fixture.directory, 'bank-files');
    mkdirSync(directory, { recursive: true });
    const ingestion = new BankResultsIngestion(fixture.store, bankIntegrationConfigFrom({ BANK_FILES_DIR: directory }));
    const file = await ingestion.receive(Readable.from([Buffer.from(notification)]), 'xml', 'notification.xml');
    return ingestion.ingest(file, context, async () => undefined);
  }

  async function check(name: string, statement: string, schema: 'camt.053.001.08' | 'camt.054.001.08') {
    expect(await xsdErrors(statement, schema)).toEqual([]);
    return runVerifier(['statement', writeText(fixture.directory, name, statement), proof, '--vkey', vkey]);
  }

  const replace = (index: number, change: Partial<StatementMovement>) =>
    movements.map((movement, i) => (i === index ? { ...movement, ...change } : movement));

  beforeAll(async () => {
    fixture = await openLogFixture('sqlite');
    vkey = fixture.key.verifier.vkey;
    const amounts = ['600000.00', '250000.00', '300000.00'];
    const round = await recordRound(
      fixture.store,
      amounts.map((amount, i) => ({ beneficiaryId: beneficiary(i + 11), amount, outcome: 'sent' as const })),
    );
    paymentIds = round.paymentIds;
    movements = paymentIds.map((paymentId, i) => ({
      endToEndId: compactId(paymentId),
      amount: amounts[i],
      accountServicerReference: `BRI-CR-${i + 1}`,
      entryReference: `NTRY-${i + 1}`,
      bookingDate: '2026-11-27',
    }));
    expect(await ingest(camt054(movements, { account: TREASURY_ACCOUNT }))).toMatchObject({
      credited: 3,
      exceptions: 0,
    });
    await fixture.writer.catchUp(fixture.store);
    await fixture.checkpoints.signLatest();
    proof = writeJson(fixture.directory, 'proof.json', await fixture.proofs.batchProof(round.batchId));
  });

  afterAll(async () => {
    await fixture.close();
  });

  it('passes a camt.053 statement that shows every credit booked for the same amount (written otherwise, equal as decimals)', async () => {
    const statement = camt053(
      // The bank's own statement numbers its entries otherwise and writes 250000.0: the same amount.
      replace(1, { amount: '250000.0', entryReference: 'STMT-ENTRY-2' }),
      { account: TREASURY_ACCOUNT },
    );
    const run = await check('statement.xml', statement, 'camt.053.001.08');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^OK statement statement\.xml \(camt\.053\.001\.08, account 0012301000000099, 3 entries\): all 3 credited payments of the proof shown booked for the same amount in IDR \(3 with the bank's references recorded in the credit/,
    );
  });

  it('passes a camt.054 notification obtained from the bank', async () => {
    const run = await check('notification.xml', camt054(movements, { account: TREASURY_ACCOUNT }), 'camt.054.001.08');
    expect(run).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^OK statement notification\.xml \(camt\.054\.001\.08/),
    });
  });

  it('fails naming a credited payment the statement does not show', async () => {
    const statement = camt053(
      movements.filter((_, i) => i !== 1),
      { account: TREASURY_ACCOUNT },
    );
    const run = await check('missing.xml', statement, 'camt.053.001.08');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^FAILED: statement missing\.xml .*: 1 discrepancy with the 3 credited payments of the proof/,
    );
    expect(run.stderr).toContain(`payment ${paymentIds[1]} (credit at leaf `);
    expect(run.stderr).toMatch(
      new RegExp(
        `MISSING_FROM_STATEMENT: the statement shows no debit with EndToEndId ${compactId(paymentIds[1])} or reference BRI-CR-2, NTRY-2`,
      ),
    );
  });

  it('fails naming a credit the statement shows for another amount', async () => {
    const run = await check(
      'amount.xml',
      camt053(replace(0, { amount: '597500.00' }), { account: TREASURY_ACCOUNT }),
      'camt.053.001.08',
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(
        `payment ${paymentIds[0]} .*: AMOUNT_DIFFERS: the statement shows IDR 597500.00; the ledger credited 600000.00`,
      ),
    );
    // A difference in the fifth decimal, the finest the schema allows: still a difference.
    const tiny = await check(
      'tiny.xml',
      camt053(replace(0, { amount: '600000.00001' }), { account: TREASURY_ACCOUNT }),
      'camt.053.001.08',
    );
    expect(tiny.stderr).toMatch(/AMOUNT_DIFFERS: the statement shows IDR 600000\.00001/);
  });

  it('fails naming a credit the statement shows in another currency', async () => {
    const run = await check(
      'currency.xml',
      camt053(replace(2, { currency: 'USD' }), { account: TREASURY_ACCOUNT }),
      'camt.053.001.08',
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(
        `payment ${paymentIds[2]} .*: CURRENCY_DIFFERS: the statement shows USD 300000.00; the ledger credited IDR 300000.00`,
      ),
    );
  });

  it('fails a credit the statement shows pending, or only returned', async () => {
    const pending = await check(
      'pending.xml',
      camt053(replace(0, { status: 'PDNG' }), { account: TREASURY_ACCOUNT }),
      'camt.053.001.08',
    );
    expect(pending.stderr).toMatch(new RegExp(`payment ${paymentIds[0]} .*: NOT_BOOKED: the statement shows it PDNG`));
    const returned = await check(
      'returned.xml',
      camt053(replace(0, { direction: 'CRDT', returnReason: 'AC04', accountServicerReference: 'BRI-RT-1' }), {
        account: TREASURY_ACCOUNT,
      }),
      'camt.053.001.08',
    );
    expect(returned.stderr).toMatch(new RegExp(`payment ${paymentIds[0]} .*: RETURNED_IN_STATEMENT`));
  });

  it('refuses a statement with a DOCTYPE, and one of another message', async () => {
    const statement = camt053(movements, { account: TREASURY_ACCOUNT }).replace(
      '<Document',
      '<!DOCTYPE Document [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<Document',
    );
    const run = await runVerifier([
      'statement',
      writeText(fixture.directory, 'doctype.xml', statement),
      proof,
      '--vkey',
      vkey,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^FAILED: .*doctype\.xml: a DOCTYPE or other markup declaration .* is refused/);
    const pain = '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"/>';
    const other = await runVerifier([
      'statement',
      writeText(fixture.directory, 'pain.xml', pain),
      proof,
      '--vkey',
      vkey,
    ]);
    expect(other.stderr).toMatch(/not a camt\.053 or camt\.054 statement/);
  });

  it('matches credits recorded without the bank references by EndToEndId, and fails a payment the ledger says was rejected but the bank shows paid', async () => {
    const round = await recordRound(
      fixture.store,
      [
        { beneficiaryId: beneficiary(21), amount: '600000.00', outcome: { credited: '600000.00' } },
        { beneficiaryId: beneficiary(22), amount: '600000.00', outcome: { rejected: 'AC01' } },
      ],
      '2026-12',
    );
    await fixture.writer.catchUp(fixture.store);
    await fixture.checkpoints.signLatest();
    const older = writeJson(fixture.directory, 'older.json', await fixture.proofs.batchProof(round.batchId));
    const [credited, rejected] = round.paymentIds.map((paymentId, i) => ({
      endToEndId: compactId(paymentId),
      amount: '600000.00',
      accountServicerReference: `OTHER-${i}`,
    }));
    const run = async (name: string, statement: string) => {
      expect(await xsdErrors(statement, 'camt.053.001.08')).toEqual([]);
      return runVerifier(['statement', writeText(fixture.directory, name, statement), older, '--vkey', vkey]);
    };

    // The proof itself shows a payment not credited: the statement agrees, and the exit code is still 3.
    const agrees = await run('older-ok.xml', camt053([credited], { account: TREASURY_ACCOUNT }));
    expect(agrees.code).toBe(3);
    expect(agrees.stdout).toMatch(
      /^OK statement .*: all 1 credited payments .* \(1 recorded without them, matched by EndToEndId\)\nVERIFIED batch/,
    );

    const paid = await run('older-paid.xml', camt053([credited, rejected], { account: TREASURY_ACCOUNT }));
    expect(paid.code).toBe(1);
    expect(paid.stderr).toMatch(
      new RegExp(
        `payment ${round.paymentIds[1]}: PAID_BUT_NOT_CREDITED_IN_LEDGER: the statement shows a booked debit of IDR 600000.00 .*; the ledger says rejected`,
      ),
    );
  });

  it('verifies the proof first: an altered proof fails, and --vkey is required', async () => {
    const statement = writeText(fixture.directory, 'ok.xml', camt053(movements, { account: TREASURY_ACCOUNT }));
    const document = JSON.parse(readFileSync(proof, 'utf8'));
    const altered = writeJson(fixture.directory, 'altered.json', {
      ...document,
      checkpoint: String(document.checkpoint).replace(/\n\d+\n/, '\n1\n'),
    });
    const run = await runVerifier(['statement', statement, altered, '--vkey', vkey]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^FAILED: the checkpoint: the signature .* does not verify/);
    const noKey = await runVerifier(['statement', statement, proof]);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/statement needs --vkey/);
  });
});
