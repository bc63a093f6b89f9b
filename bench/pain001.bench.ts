import { amountOf, formatAmount, sumAmounts } from '@salur/kernel';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
// The files themselves, not the capability's index: the Nest module and BullMQ would only add to the RSS measured.
import { streamTransfers, TemporaryFile } from '../libs/bank-integration/src/application/bank-file-writer';
import { CreditTransfer, CreditTransferFileHeader } from '../libs/bank-integration/src/domain/credit-transfer';
import { Pain001Writer, PAIN001_NAMESPACE } from '../libs/bank-integration/src/domain/pain001-writer';
import { Benchmark, Measurement, timed } from './harness';

/** Payments of the batch (issue 7: 1,000,000); BENCH_PAIN001_SIZE for a quick look. */
const BATCH_SIZE = Number(process.env.BENCH_PAIN001_SIZE ?? 1_000_000);
/** The smaller batch whose peak RSS shows the writer's memory does not grow with the batch. */
const SMALL_BATCH_SIZE = Math.ceil(BATCH_SIZE / 10);
/** What the baseline gathers before one write, as the writer's buffer does. */
const BASELINE_CHUNK_CHARS = 256 * 1_024;

const AMOUNTS = ['600000.00', '300000.00', '450000.50'];
const BANKS = [
  ['002', 'BRINIDJA'],
  ['008', 'BMRIIDJA'],
  ['009', 'BNINIDJA'],
  ['014', 'CENAIDJA'],
] as const;
const DEBTOR = { name: 'RKUD KABUPATEN MUSI BANYUASIN', accountNumber: '0012301000000099', bic: 'BRINIDJA' };
const REMITTANCE = 'BANTU-UMAK-2026 2026-11';

/** Transfer n of a synthetic batch, made on the fly: the source holds nothing. */
function transferOf(n: number): CreditTransfer {
  const [bankCode, bic] = BANKS[n % BANKS.length];
  return {
    endToEndId: n.toString(16).padStart(32, '0'),
    amount: AMOUNTS[n % AMOUNTS.length],
    bankCode,
    creditor: {
      name: `PENERIMA MANFAAT ${n}`,
      accountNumber: `00${String(190_100_000_000 + n).padStart(13, '0')}`,
      bic,
    },
  };
}

function* transfers(count: number): Generator<CreditTransfer> {
  for (let n = 0; n < count; n++) yield transferOf(n);
}

const headers = new Map<number, CreditTransferFileHeader>();

/** The batch's header, its control sum added up with decimal.js once per size (set-up, not measured). */
function headerOf(count: number): CreditTransferFileHeader {
  let header = headers.get(count);
  if (!header) {
    const perCycle = sumAmounts(AMOUNTS.map(amountOf));
    const cycles = Math.floor(count / AMOUNTS.length);
    const rest = sumAmounts(AMOUNTS.slice(0, count % AMOUNTS.length).map(amountOf));
    header = {
      messageId: '0f4e2a7c9b1d4e3f8a6b5c4d3e2f1a0b',
      paymentInfoId: '0f4e2a7c9b1d4e3f8a6b5c4d3e2f1a0b',
      createdAt: '2026-11-26T03:00:00.000Z',
      requestedExecutionDate: '2026-11-26',
      count,
      controlSum: formatAmount(perCycle.times(cycles).plus(rest)),
      currency: 'IDR',
      debtor: DEBTOR,
      remittanceInformation: REMITTANCE,
    };
    headers.set(count, header);
  }
  return header;
}

async function inTemporaryDirectory<T>(work: (directory: string) => Promise<T>): Promise<T> {
  const directory = mkdtempSync(join(tmpdir(), 'salur-bench-pain001-'));
  try {
    return await work(directory);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/**
 * The bare streamed write: the same elements and values as plain template strings (no
 * escaping, no checks, no decimal), gathered in 256 KiB chunks, hashed (SHA-256) and written
 * through a write stream with back-pressure, then fsynced like the writer's file.
 */
function bareXmlWrite(count: number): Promise<Measurement> {
  return inTemporaryDirectory(async (directory) => {
    const path = join(directory, 'bare.xml');
    const h = headerOf(count);
    return timed(count, async () => {
      const hash = createHash('sha256');
      const out = createWriteStream(path);
      let chunk =
        `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="${PAIN001_NAMESPACE}">\n<CstmrCdtTrfInitn>\n` +
        `<GrpHdr><MsgId>${h.messageId}</MsgId><CreDtTm>${h.createdAt}</CreDtTm><NbOfTxs>${h.count}</NbOfTxs>` +
        `<CtrlSum>${h.controlSum}</CtrlSum><InitgPty><Nm>${DEBTOR.name}</Nm></InitgPty></GrpHdr>\n<PmtInf>\n`;
      const emit = async (text: string) => {
        const bytes = Buffer.from(text, 'utf8');
        hash.update(bytes);
        if (!out.write(bytes)) await once(out, 'drain');
      };
      for (let n = 0; n < count; n++) {
        const t = transferOf(n);
        chunk +=
          `<CdtTrfTxInf><PmtId><EndToEndId>${t.endToEndId}</EndToEndId></PmtId>` +
          `<Amt><InstdAmt Ccy="IDR">${t.amount}</InstdAmt></Amt>` +
          `<CdtrAgt><FinInstnId><BICFI>${t.creditor.bic}</BICFI></FinInstnId></CdtrAgt>` +
          `<Cdtr><Nm>${t.creditor.name}</Nm></Cdtr>` +
          `<CdtrAcct><Id><Othr><Id>${t.creditor.accountNumber}</Id></Othr></Id></CdtrAcct>` +
          `<RmtInf><Ustrd>${REMITTANCE}</Ustrd></RmtInf></CdtTrfTxInf>\n`;
        if (chunk.length >= BASELINE_CHUNK_CHARS) {
          await emit(chunk);
          chunk = '';
        }
      }
      await emit(`${chunk}</PmtInf>\n</CstmrCdtTrfInitn>\n</Document>\n`);
      out.end();
      await once(out, 'finish');
      const handle = await open(path, 'r+');
      await handle.sync();
      await handle.close();
      hash.digest('hex');
    });
  });
}

/** The real writer: Pain001Writer through the bank file writer's streaming loop and hashed, fsynced file. */
function pain001Write(count: number): Promise<Measurement> {
  return inTemporaryDirectory(async (directory) => {
    const header = headerOf(count);
    return timed(count, async () => {
      const file = await TemporaryFile.create(join(directory, 'batch.pain001.xml'));
      try {
        const written = await streamTransfers(
          [{ file, render: new Pain001Writer(header) }],
          transfers(count),
          async () => undefined,
        );
        if (written !== count) throw new Error(`Wrote ${written} transfers, not ${count}`);
        await file.commit();
      } finally {
        await file.discard();
      }
    });
  });
}

const label = (count: number) => count.toLocaleString('en-US');

export const pain001Benchmarks: Benchmark[] = [
  {
    name: 'pain001',
    unit: 'transfers/s',
    baseline: { name: `bare streamed XML write, ${label(BATCH_SIZE)} transfers`, run: () => bareXmlWrite(BATCH_SIZE) },
    // The small batch first: RSS is sampled per case and does not fall back between cases.
    cases: [
      { name: `pain.001 writer, ${label(SMALL_BATCH_SIZE)} transfers`, run: () => pain001Write(SMALL_BATCH_SIZE) },
      { name: `pain.001 writer, ${label(BATCH_SIZE)} transfers`, run: () => pain001Write(BATCH_SIZE) },
    ],
    // Issue 7: at most 1.5 times the bare write's time, so at least 1/1.5 of its rate.
    targets: { [`pain.001 writer, ${label(BATCH_SIZE)} transfers`]: 0.67 },
  },
];
