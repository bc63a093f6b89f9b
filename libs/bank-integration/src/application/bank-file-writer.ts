import { Inject, Injectable } from '@nestjs/common';
import { ERASED_VALUE } from '@salur/kernel';
import { handleCommand, LedgerContext, loadStream, metadataOf, requireDomainEvent } from '@salur/application';
import { batchDecider, BatchFileFormat, BatchState, batchStreamName, ExistingBatch } from '@salur/batches/domain';
import { EVENT_STORE, EventStore } from '@salur/event-store';
import { notFound, ruleBroken } from '@salur/kernel';
import { paymentDecider, paymentStreamName } from '@salur/payments/domain';
import { createHash, Hash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { FileHandle, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { BANK_INTEGRATION_CONFIG, BankIntegrationConfig } from '../bank-integration.config';
import {
  BankCsvWriter,
  assertBankFileText,
  BankFileContentError,
  compactId,
  CreditTransfer,
  CreditTransferFileHeader,
  Pain001Writer,
} from '../domain';
import { ReportProgress } from '@salur/queue';

/** Bytes gathered before one write to disk. */
const WRITE_BUFFER_BYTES = 256 * 1_024;
/** Room kept free in the write buffer: a file is `full` (time to flush) once less is left. */
const WRITE_BUFFER_HEADROOM_BYTES = 16 * 1_024;
/** The most UTF-8 bytes one UTF-16 code unit can take. */
const MAX_UTF8_BYTES_PER_CODE_UNIT = 3;
/** Lines between two progress reports. */
const PROGRESS_EVERY_LINES = 250;

export interface WrittenBankFile {
  readonly format: BatchFileFormat;
  readonly fileName: string;
  readonly sha256: string;
  readonly count: number;
  readonly controlSum: string;
}

export const BANK_FILE_EXTENSIONS: Readonly<Record<BatchFileFormat, string>> = { pain001: 'xml', csv: 'csv' };

/**
 * Writes an approved batch as its pain.001 and its bank CSV in one streamed pass over its
 * payments (memory holds one line and a write buffer, whatever the batch size), each to a
 * temporary name that is fsynced and renamed into place, the SHA-256 computed on the way. The
 * bytes depend only on the batch's events (the creation time is the approval instant), so a
 * rewrite after a crash gives the same file and the same hash; RecordBatchFile then records
 * each file once.
 */
@Injectable()
export class BankFileWriter {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BANK_INTEGRATION_CONFIG) private readonly config: BankIntegrationConfig,
  ) {}

  outboundDir(): string {
    return join(this.config.filesDir, 'outbound');
  }

  async write(batchId: string, context: LedgerContext, report: ReportProgress): Promise<WrittenBankFile[]> {
    const { batch, approvedAt } = await this.loadBatch(batchId);
    // A submitted (or settled) batch's file was written before: asking again answers with it.
    const handedOver = batch.status === 'submitted' || batch.status === 'settled';
    if (batch.status !== 'approved' && !handedOver) {
      throw ruleBroken('BATCH_NOT_APPROVED', `Only an approved batch gets a bank file; this one is ${batch.status}`);
    }
    if (await this.recordedFilesPresent(batch)) return this.recorded(batch);
    if (handedOver) throw ruleBroken('BATCH_FILE_MISSING', 'The submitted file is missing on disk');
    const header = this.headerOf(batch, approvedAt);
    await mkdir(this.outboundDir(), { recursive: true });
    const names = this.fileNamesOf(batch);
    const xml = await TemporaryFile.create(join(this.outboundDir(), names.pain001));
    const csv = await TemporaryFile.create(join(this.outboundDir(), names.csv));
    try {
      await streamTransfers(
        [
          { file: xml, render: new Pain001Writer(header) },
          { file: csv, render: new BankCsvWriter(header) },
        ],
        this.transfersOf(batch),
        (done) => report({ done, total: header.count }),
      );
      const files: WrittenBankFile[] = [
        {
          format: 'pain001',
          fileName: names.pain001,
          sha256: await xml.commit(),
          count: header.count,
          controlSum: header.controlSum,
        },
        {
          format: 'csv',
          fileName: names.csv,
          sha256: await csv.commit(),
          count: header.count,
          controlSum: header.controlSum,
        },
      ];
      for (const file of files) await this.record(batchId, file, context);
      await report({ done: header.count, total: header.count });
      return files;
    } finally {
      await xml.discard();
      await csv.discard();
    }
  }

  fileNamesOf(batch: ExistingBatch): Record<BatchFileFormat, string> {
    const base = `${batch.programmeId}-${batch.period}-${batch.batchId}`;
    return { pain001: `${base}.pain001.${BANK_FILE_EXTENSIONS.pain001}`, csv: `${base}.${BANK_FILE_EXTENSIONS.csv}` };
  }

  private async record(batchId: string, file: WrittenBankFile, context: LedgerContext): Promise<void> {
    await handleCommand(
      this.store,
      batchStreamName(batchId),
      batchDecider,
      { type: 'RecordBatchFile', data: { batchId, ...file }, context },
      { metadata: metadataOf(context) },
    );
  }

  private async loadBatch(batchId: string): Promise<{ batch: ExistingBatch; approvedAt: string }> {
    let state: BatchState = batchDecider.initialState;
    let approvedAt = '';
    for await (const recorded of this.store.readStream(batchStreamName(batchId))) {
      const batchEvent = requireDomainEvent(recorded, batchDecider.events);
      state = batchDecider.evolve(state, batchEvent);
      if (batchEvent.type === 'BatchApproved') approvedAt = batchEvent.data.at;
    }
    if (state.status === 'absent') throw notFound('BATCH_NOT_FOUND', `No batch ${batchId}`);
    return { batch: state, approvedAt };
  }

  private headerOf(batch: ExistingBatch, approvedAt: string): CreditTransferFileHeader {
    const compact = compactId(batch.batchId);
    return {
      messageId: compact,
      paymentInfoId: compact,
      createdAt: approvedAt,
      requestedExecutionDate: approvedAt.slice(0, 10),
      count: batch.payments.length,
      controlSum: batch.controlSum,
      currency: 'IDR',
      debtor: this.config.treasury,
      remittanceInformation: `${batch.programmeId} ${batch.period}`,
    };
  }

  /** The batch's payments as they were claimed: amount and the account snapshot of the claim. */
  private async *transfersOf(batch: ExistingBatch): AsyncGenerator<CreditTransfer> {
    for (const line of batch.payments) {
      const { state } = await loadStream(this.store, paymentStreamName(line.paymentId), paymentDecider);
      const inBatch = (state.status === 'batched' || state.status === 'sent') && state.batchId === batch.batchId;
      if (!inBatch || !state.account) {
        throw new BankFileContentError(`Payment ${line.paymentId} is listed in the batch but is ${state.status}`);
      }
      if (state.amount !== line.amount) {
        throw new BankFileContentError(`Payment ${line.paymentId} is ${state.amount}; the batch says ${line.amount}`);
      }
      if (state.account.accountNumber === ERASED_VALUE || state.account.accountHolderName === ERASED_VALUE) {
        // Erasure waits for every payment to be final, so this is a bug; a file must never carry it.
        throw new BankFileContentError(`Payment ${line.paymentId}: its beneficiary's personal data was erased`);
      }
      // Like an erased value, a data error (every request path refuses it): the job fails for good.
      assertBankFileText(state.account.accountHolderName, `The account holder name of payment ${line.paymentId}`);
      const bic = this.config.bankBics.get(state.account.bankCode);
      if (!bic) throw new BankFileContentError(`No BIC configured for bank code ${state.account.bankCode} (BANK_BICS)`);
      yield {
        endToEndId: compactId(line.paymentId),
        amount: line.amount,
        bankCode: state.account.bankCode,
        creditor: { name: state.account.accountHolderName, accountNumber: state.account.accountNumber, bic },
      };
    }
  }

  private async recordedFilesPresent(batch: ExistingBatch): Promise<boolean> {
    if (batch.files.length < 2) return false;
    for (const file of batch.files) {
      const path = join(this.outboundDir(), file.fileName);
      if (!(await exists(path)) || (await sha256Of(path)) !== file.sha256) return false;
    }
    return true;
  }

  private recorded(batch: ExistingBatch): WrittenBankFile[] {
    return batch.files.map((file) => ({
      ...file,
      count: batch.payments.length,
      controlSum: batch.controlSum,
    }));
  }
}

/** How one bank file renders a batch: its opening, one piece per transfer, its closing. */
export interface TransferRenderer {
  open(): string;
  transaction(transfer: CreditTransfer): string;
  /** Throws BankFileContentError unless the transfers matched the header. */
  close(): string;
}

/**
 * Streams the transfers once into every file (memory holds one line and the write buffers,
 * whatever the batch size) and reports every PROGRESS_EVERY_LINES lines.
 */
export async function streamTransfers(
  outputs: ReadonlyArray<{ readonly file: TemporaryFile; readonly render: TransferRenderer }>,
  transfers: AsyncIterable<CreditTransfer> | Iterable<CreditTransfer>,
  onProgress: (done: number) => Promise<void>,
): Promise<number> {
  for (const { file, render } of outputs) file.write(render.open());
  let done = 0;
  for await (const transfer of transfers) {
    for (const { file, render } of outputs) file.write(render.transaction(transfer));
    // Waiting for the disk only when a buffer is full keeps a million lines from costing a million awaits.
    for (const { file } of outputs) if (file.full) await file.flush();
    if (++done % PROGRESS_EVERY_LINES === 0) await onProgress(done);
  }
  for (const { file, render } of outputs) file.write(render.close());
  return done;
}

/** A file written under a temporary name, buffered, hashed as it goes, fsynced and renamed on commit. */
export class TemporaryFile {
  private readonly hash: Hash = createHash('sha256');
  /**
   * Text is encoded straight into one reused buffer: a million lines then cost no string
   * concatenation and no allocation per flush (join + Buffer.from dominated the profile).
   */
  private readonly buffer = Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
  private bufferedBytes = 0;
  /** Text that did not fit in the buffer, in order after it; rare (only a line longer than the headroom). */
  private overflow: Buffer[] = [];
  private committed = false;

  private constructor(
    private readonly finalPath: string,
    private readonly temporaryPath: string,
    private readonly handle: FileHandle,
  ) {}

  /**
   * Each run writes its own temporary file: after a Redis loss two worker processes can run the
   * same job at once, and a shared name would interleave their bytes. Leftovers of earlier runs
   * (a killed worker's) are removed first; a run still writing one then fails at its rename and
   * retries, while this run's file is whole.
   */
  static async create(finalPath: string): Promise<TemporaryFile> {
    const prefix = `${basename(finalPath)}.`;
    for (const name of await readdir(dirname(finalPath))) {
      if (name.startsWith(prefix) && name.endsWith('.partial'))
        await rm(join(dirname(finalPath), name), { force: true });
    }
    const temporaryPath = `${finalPath}.${randomUUID()}.partial`;
    return new TemporaryFile(finalPath, temporaryPath, await open(temporaryPath, 'w'));
  }

  /** Buffers the text; the caller flushes when `full` says so (or commits). */
  write(text: string): void {
    const fits = text.length * MAX_UTF8_BYTES_PER_CODE_UNIT <= WRITE_BUFFER_BYTES - this.bufferedBytes;
    if (fits && this.overflow.length === 0) {
      this.bufferedBytes += this.buffer.write(text, this.bufferedBytes, 'utf8');
    } else {
      this.overflow.push(Buffer.from(text, 'utf8'));
    }
  }

  get full(): boolean {
    return this.bufferedBytes > WRITE_BUFFER_BYTES - WRITE_BUFFER_HEADROOM_BYTES || this.overflow.length > 0;
  }

  async commit(): Promise<string> {
    await this.flush();
    await this.handle.sync();
    await this.handle.close();
    await rename(this.temporaryPath, this.finalPath);
    this.committed = true;
    return this.hash.digest('hex');
  }

  async discard(): Promise<void> {
    if (this.committed) return;
    await this.handle.close().catch(() => undefined);
    await rm(this.temporaryPath, { force: true });
  }

  async flush(): Promise<void> {
    const pieces = [this.buffer.subarray(0, this.bufferedBytes), ...this.overflow];
    for (const bytes of pieces) {
      if (bytes.length === 0) continue;
      this.hash.update(bytes);
      // Awaited before the buffer is written into again.
      await this.handle.writeFile(bytes);
    }
    this.bufferedBytes = 0;
    this.overflow = [];
  }
}

export async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
