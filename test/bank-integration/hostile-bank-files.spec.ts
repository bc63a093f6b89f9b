import { SENT_AT, SENT_TO_ACCOUNT, seedSentPayments } from './support/sent-payments';
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { once } from 'node:events';
import {
  BANK_RESULT_CSV_COLUMNS,
  bankIntegrationConfigFrom,
  BankFileRefusedError,
  BankResultsIngestion,
  bankResultCsvRow,
  CAMT054_NAMESPACE,
  compactId,
  IngestionSummary,
  PAIN002_NAMESPACE,
  ReceivedBankFile,
} from '@salur/bank-integration';
import { EventStore, RecordedEvent, SqliteEventStore } from '@salur/event-store';
import { paymentIdFor, paymentStreamName } from '@salur/payments/domain';
import { BankRoundApi, JobView, startBankRoundApi } from './support/bank-round-api';

const at = SENT_AT;
const context = {
  actor: { userId: 'ingest', role: 'bank-integration' as const },
  now: at,
  correlationId: 'c',
  causationId: 'j',
};
const batchId = '5d6f1b7e-2c43-4e6a-9d1f-000000000002';
const ACCOUNT = SENT_TO_ACCOUNT;
const report = async () => undefined;
const MiB = 1_048_576;

/**
 * Hostile bank result files (issue 8): a file too large, in another namespace or broken is
 * refused whole with its reason and changes nothing; inside an otherwise good file, each bad line
 * (a duplicated EndToEndId, an amount with an exponent, negative or over-precise, an unknown
 * payment, an amount that is not the payment's) becomes a recorded exception with its reason
 * while the good lines are applied, once, in all three formats.
 */
describe('hostile bank result files', () => {
  const directory = mkdtempSync(join(tmpdir(), 'salur-hostile-'));
  let store: EventStore;
  let ingestion: BankResultsIngestion;

  beforeAll(() => {
    store = new SqliteEventStore({ path: join(directory, 'events.db') });
    ingestion = new BankResultsIngestion(
      store,
      bankIntegrationConfigFrom({ BANK_FILES_DIR: join(directory, 'files'), BANK_RESULT_MAX_BYTES: String(40 * MiB) }),
    );
  });
  afterAll(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const receive = (text: string, kind: 'xml' | 'csv') =>
    ingestion.receive(Readable.from([Buffer.from(text)]), kind, `results.${kind}`);
  const refusalOf = (work: Promise<unknown>) =>
    work.then(
      () => ({ code: 'accepted', message: '' }),
      (error: unknown) =>
        error instanceof BankFileRefusedError ? { code: error.code, message: error.message } : { code: String(error) },
    );

  it('refuses a 50 MB file over the limit at the limit, keeps nothing of it, and refuses it on disk before reading', async () => {
    const big = join(directory, 'big.camt054.xml');
    const [paymentId] = await seedSentPayments(store, batchId, 1);
    const written = await writeLargeCamt054(big, 50 * MiB, paymentId);
    expect(written).toBeGreaterThanOrEqual(50 * MiB);

    // Uploaded: read in 64 KiB chunks straight to disk, and abandoned as soon as the count passes 40 MiB.
    let consumed = 0;
    const counted = Readable.from(
      (async function* () {
        for await (const chunk of createReadStream(big, { highWaterMark: 64 * 1_024 })) {
          consumed += (chunk as Buffer).length;
          yield chunk as Buffer;
        }
      })(),
    );
    const uploaded = await refusalOf(ingestion.receive(counted, 'xml', 'big.xml'));
    expect(uploaded).toEqual({ code: 'FILE_TOO_LARGE', message: expect.stringContaining(String(40 * MiB)) });
    // The chunk that crossed the limit, and the one Readable.from had already pulled behind it.
    expect(consumed).toBeLessThanOrEqual(40 * MiB + 2 * 64 * 1_024);
    expect(readdirSync(ingestion.inboundDir())).toEqual([]);

    // Already on disk (received under a larger limit): refused by its size, before a line is applied.
    const head = await store.headPosition();
    const onDisk: ReceivedBankFile = { sha256: 'f'.repeat(64), format: 'camt.054.001.08', fileName: 'big', path: big };
    expect((await refusalOf(ingestion.ingest(onDisk, context, report))).code).toBe('FILE_TOO_LARGE');
    expect(await store.headPosition()).toBe(head);
  });

  it('refuses a file in another namespace, or in none, naming the expected and the found', async () => {
    const body = '<GrpHdr><MsgId>M</MsgId></GrpHdr>';
    const cases = [
      [`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>${body}`, PAIN002_NAMESPACE],
      [`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>${body}`, CAMT054_NAMESPACE],
      [`<Document><BkToCstmrDbtCdtNtfctn>${body}`, CAMT054_NAMESPACE],
    ] as const;
    for (const [xml, expected] of cases) {
      const found = /xmlns="([^"]+)"/.exec(xml)?.[1] ?? 'no namespace';
      expect(await refusalOf(receive(`${xml}</Document>`, 'xml'))).toEqual({
        code: 'WRONG_NAMESPACE',
        message: expect.stringMatching(new RegExp(`Expected namespace .*${escape(expected)}.*found ${escape(found)}`)),
      });
    }
    // A file that got past the door under another name is refused by the reader too, before any effect.
    const head = await store.headPosition();
    const path = join(directory, 'camt053.xml');
    writeFileSync(path, `${cases[1][0]}</BkToCstmrStmt></Document>`);
    const disguised: ReceivedBankFile = { sha256: 'e'.repeat(64), format: 'camt.054.001.08', fileName: 'x', path };
    expect(await refusalOf(ingestion.ingest(disguised, context, report))).toEqual({
      code: 'WRONG_NAMESPACE',
      message: `Expected namespace ${CAMT054_NAMESPACE}, found urn:iso:std:iso:20022:tech:xsd:camt.053.001.08`,
    });
    expect(await store.headPosition()).toBe(head);
  });

  it('refuses a file broken after good lines whole: none of its lines is applied', async () => {
    const [paymentId] = await seedSentPayments(store, batchId, 1);
    const xml = camt054([{ endToEndId: compactId(paymentId), amount: '600000.00', reference: 'TRUNC-1' }]);
    const file = await receive(xml.slice(0, xml.indexOf('</Ntfctn>')), 'xml');
    expect((await refusalOf(ingestion.ingest(file, context, report))).code).toBe('MALFORMED_XML');
    expect(await eventsOf(store, paymentStreamName(paymentId))).toEqual([
      'PaymentScheduled',
      'PaymentBatched',
      'PaymentSentToBank',
    ]);
  });

  describe.each(['camt.054', 'csv'] as const)('credits in a partly bad %s', (format) => {
    it('records each bad line as an exception with its reason, applies the good ones once, and a second time nothing', async () => {
      const [good1, good2, duplicated, exponent, negative, overPrecise, above] = await seedSentPayments(
        store,
        batchId,
        7,
      );
      const unknown = paymentIdFor('BANTU-UMAK-2026', '2026-11', randomUUID());
      const lines: CreditLine[] = [
        { endToEndId: compactId(good1), amount: '600000.00', reference: `G1-${format}` },
        { endToEndId: compactId(duplicated), amount: '600000.00', reference: `D1-${format}` },
        { endToEndId: compactId(exponent), amount: '6E5', reference: `E-${format}` },
        { endToEndId: compactId(negative), amount: '-600000.00', reference: `N-${format}` },
        { endToEndId: compactId(overPrecise), amount: '600000.001', reference: `P-${format}` },
        { endToEndId: compactId(unknown), amount: '600000.00', reference: `U-${format}` },
        { endToEndId: compactId(above), amount: '600001.00', reference: `A-${format}` },
        { endToEndId: compactId(duplicated), amount: '600000.00', reference: `D2-${format}` },
        { endToEndId: compactId(good2), amount: '597500.00', reference: `G2-${format}` },
      ];
      const file = format === 'csv' ? await receive(creditsCsv(lines), 'csv') : await receive(camt054(lines), 'xml');
      const summary = await ingestion.ingest(file, context, report);

      expect(summary).toMatchObject({ lines: 9, applied: 3, credited: 2, shortCredits: 1, exceptions: 6 });
      expect(summary.exceptionReasons).toEqual({
        DUPLICATE: 1,
        INVALID_LINE: 3,
        UNKNOWN_REFERENCE: 1,
        AMOUNT_DIFFERS: 1,
      });
      expect(exceptionsByLine(summary)).toEqual({
        3: 'INVALID_LINE',
        4: 'INVALID_LINE',
        5: 'INVALID_LINE',
        6: 'UNKNOWN_REFERENCE',
        7: 'AMOUNT_DIFFERS',
        8: 'DUPLICATE',
      });
      expect(summary.firstExceptions.find((exception) => exception.line === 3)?.detail).toMatch(/'6E5'/);
      // The ledger holds the same list as the answer.
      expect(await recordedExceptions(store, file.sha256)).toEqual(exceptionsByLine(summary));
      for (const paymentId of [good1, good2, duplicated]) {
        expect(
          (await eventsOf(store, paymentStreamName(paymentId))).filter((type) => type === 'PaymentCredited'),
        ).toHaveLength(1);
      }
      expect(await eventsOf(store, paymentStreamName(good2))).toContain('PaymentDeductionFlagged');
      for (const paymentId of [exponent, negative, overPrecise, above]) {
        expect(await eventsOf(store, paymentStreamName(paymentId))).toEqual([
          'PaymentScheduled',
          'PaymentBatched',
          'PaymentSentToBank',
        ]);
      }

      const head = await store.headPosition();
      const again = await ingestion.ingest(file, context, report);
      expect(again).toMatchObject({ alreadyIngested: true, applied: 3, exceptions: 6 });
      expect(exceptionsByLine(again)).toEqual(exceptionsByLine(summary));
      expect(await store.headPosition()).toBe(head);
    });
  });

  it('does the same for the rejections of a partly bad pain.002', async () => {
    const [good, duplicated, exponent, negative, overPrecise, other, accepted] = await seedSentPayments(
      store,
      batchId,
      7,
    );
    const unknown = paymentIdFor('BANTU-UMAK-2026', '2026-11', randomUUID());
    const file = await receive(
      pain002([
        { endToEndId: compactId(good), status: 'RJCT', amount: '600000.00' },
        { endToEndId: compactId(duplicated), status: 'RJCT', amount: '600000.00' },
        { endToEndId: compactId(exponent), status: 'RJCT', amount: '6E5' },
        { endToEndId: compactId(negative), status: 'RJCT', amount: '-600000.00' },
        { endToEndId: compactId(overPrecise), status: 'RJCT', amount: '600000.001' },
        { endToEndId: compactId(unknown), status: 'RJCT', amount: '600000.00' },
        { endToEndId: compactId(other), status: 'RJCT', amount: '500000.00' },
        { endToEndId: compactId(duplicated), status: 'RJCT', amount: '600000.00' },
        { endToEndId: compactId(accepted), status: 'ACSC', amount: '600000.00' },
      ]),
      'xml',
    );
    expect(file.format).toBe('pain.002.001.10');
    const summary = await ingestion.ingest(file, context, report);
    expect(summary).toMatchObject({ lines: 9, applied: 2, rejected: 2, acknowledged: 1, exceptions: 6 });
    expect(exceptionsByLine(summary)).toEqual({
      3: 'INVALID_LINE',
      4: 'INVALID_LINE',
      5: 'INVALID_LINE',
      6: 'UNKNOWN_REFERENCE',
      7: 'AMOUNT_DIFFERS',
      8: 'DUPLICATE',
    });
    expect(await recordedExceptions(store, file.sha256)).toEqual(exceptionsByLine(summary));
    for (const paymentId of [good, duplicated]) {
      expect(
        (await eventsOf(store, paymentStreamName(paymentId))).filter((type) => type === 'PaymentRejected'),
      ).toHaveLength(1);
    }
    for (const paymentId of [exponent, negative, overPrecise, other, accepted]) {
      expect((await eventsOf(store, paymentStreamName(paymentId))).at(-1)).toBe('PaymentSentToBank');
    }
    const head = await store.headPosition();
    expect(await ingestion.ingest(file, context, report)).toMatchObject({ alreadyIngested: true });
    expect(await store.headPosition()).toBe(head);
  });
});

describe('hostile bank result files through HTTP', () => {
  let api: BankRoundApi;
  beforeAll(async () => {
    api = await startBankRoundApi();
  });
  afterAll(() => api?.close());

  const post = (body: string, type: string) =>
    api.call('bank-integration', 'h2h', 'POST', '/bank-results', body, { 'content-type': type });

  it('answers a partly bad CSV with a job whose result names each bad line and its reason, and refuses a wrong namespace with 400', async () => {
    const [good, exponent] = await seedSentPayments(api.store, batchId, 2);
    const unknown = paymentIdFor('BANTU-UMAK-2026', '2026-11', randomUUID());
    const started = await post(
      creditsCsv([
        { endToEndId: compactId(good), amount: '600000.00', reference: 'H-G' },
        { endToEndId: compactId(exponent), amount: '6E5', reference: 'H-E' },
        { endToEndId: compactId(unknown), amount: '600000.00', reference: 'H-U' },
      ]),
      'text/csv',
    );
    expect(started.status).toBe(202);
    const job = await api.finish(started.json<JobView>());
    const result = job.result as IngestionSummary;
    expect(result).toMatchObject({ lines: 3, applied: 1, exceptions: 2 });
    expect(result.firstExceptions).toEqual([
      expect.objectContaining({ line: 2, reason: 'INVALID_LINE', detail: expect.stringContaining('6E5') }),
      expect.objectContaining({ line: 3, reason: 'UNKNOWN_REFERENCE', endToEndId: compactId(unknown) }),
    ]);
    expect(await api.events('PaymentCredited')).toEqual([
      expect.objectContaining({ streamName: paymentStreamName(good) }),
    ]);

    const wrong = await post(
      '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt/></Document>',
      'application/xml',
    );
    expect({ status: wrong.status, ...wrong.json() }).toMatchObject({
      status: 400,
      code: 'WRONG_NAMESPACE',
      message: `Expected namespace ${PAIN002_NAMESPACE}, found urn:iso:std:iso:20022:tech:xsd:pain.002.001.03`,
    });
  });
});

interface CreditLine {
  readonly endToEndId: string;
  readonly amount: string;
  readonly reference: string;
}

function camt054Entry({ endToEndId, amount, reference }: CreditLine): string {
  return (
    `<Ntry><Amt Ccy="IDR">${amount}</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>` +
    `<BookgDt><Dt>2026-11-27</Dt></BookgDt><ValDt><Dt>2026-11-27</Dt></ValDt><AcctSvcrRef>${reference}</AcctSvcrRef>` +
    `<NtryDtls><TxDtls><Refs><AcctSvcrRef>${reference}</AcctSvcrRef><PmtInfId>${compactId(batchId)}</PmtInfId>` +
    `<EndToEndId>${endToEndId}</EndToEndId></Refs><Amt Ccy="IDR">${amount}</Amt><CdtDbtInd>DBIT</CdtDbtInd>` +
    `<RltdPties><CdtrAcct><Id><Othr><Id>${ACCOUNT}</Id></Othr></Id></CdtrAcct></RltdPties></TxDtls></NtryDtls></Ntry>\n`
  );
}

const CAMT054_HEAD =
  `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="${CAMT054_NAMESPACE}"><BkToCstmrDbtCdtNtfctn>` +
  '<GrpHdr><MsgId>NTF-HOSTILE</MsgId><CreDtTm>2026-11-27T09:00:00</CreDtTm></GrpHdr>' +
  '<Ntfctn><Id>NTF-HOSTILE</Id><Acct><Id><Othr><Id>0012301000000099</Id></Othr></Id></Acct>\n';
const CAMT054_TAIL = '</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>\n';

function camt054(lines: readonly CreditLine[]): string {
  return CAMT054_HEAD + lines.map(camt054Entry).join('') + CAMT054_TAIL;
}

/** A camt.054 of at least `bytes`, written entry by entry with back-pressure: never a string of its size. */
async function writeLargeCamt054(path: string, bytes: number, paymentId: string): Promise<number> {
  const out = createWriteStream(path);
  let written = 0;
  const write = async (text: string) => {
    written += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(CAMT054_HEAD);
  for (let n = 0; written < bytes; n++) {
    await write(camt054Entry({ endToEndId: compactId(paymentId), amount: '600000.00', reference: `BIG-${n}` }));
  }
  await write(CAMT054_TAIL);
  out.end();
  await once(out, 'finish');
  return written;
}

function creditsCsv(lines: readonly CreditLine[]): string {
  return (
    `${BANK_RESULT_CSV_COLUMNS.join(',')}\r\n` +
    lines
      .map((line) =>
        bankResultCsvRow({
          endToEndId: line.endToEndId,
          outcome: 'credited',
          amount: line.amount,
          currency: 'IDR',
          account: ACCOUNT,
          bankReference: line.reference,
          valueDate: '2026-11-27',
          paymentInfoId: compactId(batchId),
        }),
      )
      .join('')
  );
}

function pain002(lines: ReadonlyArray<{ endToEndId: string; status: string; amount: string }>): string {
  const transactions = lines.map(
    ({ endToEndId, status, amount }, index) =>
      `<TxInfAndSts><OrgnlEndToEndId>${endToEndId}</OrgnlEndToEndId><TxSts>${status}</TxSts>` +
      (status === 'RJCT' ? '<StsRsnInf><Rsn><Cd>AC01</Cd></Rsn></StsRsnInf>' : '') +
      `<AcctSvcrRef>RJ-${index}</AcctSvcrRef><OrgnlTxRef><Amt><InstdAmt Ccy="IDR">${amount}</InstdAmt></Amt>` +
      `<CdtrAcct><Id><Othr><Id>${ACCOUNT}</Id></Othr></Id></CdtrAcct></OrgnlTxRef></TxInfAndSts>\n`,
  );
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="${PAIN002_NAMESPACE}"><CstmrPmtStsRpt>` +
    '<GrpHdr><MsgId>PSR-HOSTILE</MsgId><CreDtTm>2026-11-27T09:00:00</CreDtTm></GrpHdr>' +
    `<OrgnlPmtInfAndSts><OrgnlPmtInfId>${compactId(batchId)}</OrgnlPmtInfId>\n` +
    transactions.join('') +
    '</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>\n'
  );
}

function exceptionsByLine(summary: IngestionSummary): Record<number, string> {
  return Object.fromEntries(summary.firstExceptions.map((exception) => [exception.line, exception.reason]));
}

async function recordedExceptions(store: EventStore, sha256: string): Promise<Record<number, string>> {
  const found: Record<number, string> = {};
  for await (const event of store.readStream(`bank-file-${sha256}`)) {
    if (event.type === 'BankResultException') found[event.data.line as number] = event.data.reason as string;
  }
  return found;
}

async function eventsOf(store: EventStore, streamName: string): Promise<string[]> {
  const types: string[] = [];
  for await (const event of store.readStream(streamName)) types.push((event as RecordedEvent).type);
  return types;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
