import { Inject, Injectable } from '@nestjs/common';
import { handleCommand, LedgerContext, metadataOf } from '@salur/application';
import { EVENT_STORE, EventStore, NewEvent } from '@salur/event-store';
import { deterministicId, DomainError } from '@salur/kernel';
import { PaymentEvent, paymentDecider, paymentStreamName } from '@salur/payments/domain';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { BANK_INTEGRATION_CONFIG, BankIntegrationConfig } from '../bank-integration.config';
import {
  BankFileEvent,
  BankFileIngested,
  BankFileRefusedError,
  bankFileStreamName,
  BankResultException,
  BankResultFormat,
  BankResultLine,
  DEFAULT_XML_LIMITS,
  EMPTY_HISTORY,
  evolveHistory,
  PaymentHistory,
  paymentIdOfLine,
  readBankResultCsv,
  readCamt054,
  readPain002,
  reconcile,
} from '../domain';
import { ReportProgress } from './job-context';

/** Namespace of the ids of a bank file's events (fixed forever): a retried append writes nothing twice. */
export const BANK_FILE_EVENT_NAMESPACE = '6a3e9d17-2f4b-5a80-9c5e-0b8d4f1e7a62';
/** Events per append to the file's stream, well under EVENT_STORE_MAX_APPEND_BYTES. */
const EVENTS_PER_APPEND = 200;
const PROGRESS_EVERY_LINES = 500;
/** How much of a received XML file is looked at to tell pain.002 from camt.054. */
const SNIFF_BYTES = 4_096;

export interface ReceivedBankFile {
  readonly sha256: string;
  readonly format: BankResultFormat;
  readonly fileName: string;
  readonly path: string;
}

export type IngestionSummary = BankFileIngested['data'] & { readonly alreadyIngested: boolean };

/**
 * Bank results in: a received file is kept under its SHA-256, then read as a stream, line by
 * line. Each line is reconciled against its payment's history: a new outcome is recorded on
 * the payment, an outcome already recorded changes nothing, anything else goes to the
 * exception list with its reason and never blocks the other lines. The file's own stream
 * (`bank-file-<sha256>`) ends with BankFileIngested; once it is there, the same file again
 * changes nothing.
 */
@Injectable()
export class BankResultsIngestion {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BANK_INTEGRATION_CONFIG) private readonly config: BankIntegrationConfig,
  ) {}

  inboundDir(): string {
    return join(this.config.filesDir, 'inbound');
  }

  /** Stores an uploaded file (bounded), named by its SHA-256, and tells its format. */
  async receive(source: Readable, kind: 'xml' | 'csv', fileName: string): Promise<ReceivedBankFile> {
    await mkdir(this.inboundDir(), { recursive: true });
    const temporary = join(this.inboundDir(), `upload-${randomUUID()}.partial`);
    const handle = await open(temporary, 'w');
    const hash = createHash('sha256');
    let bytes = 0;
    let head = Buffer.alloc(0);
    let format: BankResultFormat;
    try {
      for await (const chunk of source) {
        const buffer = chunk as Buffer;
        bytes += buffer.length;
        if (bytes > this.config.maxResultFileBytes) {
          source.destroy();
          throw new BankFileRefusedError(
            'FILE_TOO_LARGE',
            `The file is larger than ${this.config.maxResultFileBytes} bytes`,
          );
        }
        if (head.length < SNIFF_BYTES) head = Buffer.concat([head, buffer]).subarray(0, SNIFF_BYTES);
        hash.update(buffer);
        await handle.writeFile(buffer);
      }
      await handle.sync();
      await handle.close();
      format = kind === 'csv' ? 'csv' : sniffXmlFormat(head.toString('utf8'));
    } catch (error) {
      await handle.close().catch(() => undefined);
      await rm(temporary, { force: true });
      throw error;
    }
    const sha256 = hash.digest('hex');
    const path = join(this.inboundDir(), `${sha256}.${kind}`);
    await rename(temporary, path);
    return { sha256, format, fileName: safeFileName(fileName), path };
  }

  async ingest(file: ReceivedBankFile, context: LedgerContext, report: ReportProgress): Promise<IngestionSummary> {
    const streamName = bankFileStreamName(file.sha256);
    const done = await this.ingested(streamName);
    if (done) return { ...done, alreadyIngested: true };
    const counts = { lines: 0, applied: 0, alreadyApplied: 0, acknowledged: 0, pending: 0 };
    const outcomes = { credited: 0, shortCredits: 0, rejected: 0, returned: 0 };
    const exceptions: BankResultException[] = [];
    const seen = new Set<string>();
    for await (const line of this.linesOf(file)) {
      counts.lines++;
      const key = `${line.endToEndId}/${line.outcome}`;
      if (seen.has(key) && line.outcome !== 'accepted' && line.outcome !== 'pending') {
        exceptions.push(
          exceptionOf(file.sha256, line, 'DUPLICATE', 'The same outcome is listed twice in this file', context),
        );
      } else {
        seen.add(key);
        const result = await this.applyLine(file.sha256, line, context);
        if (result.kind === 'exception') exceptions.push(result.exception);
        else counts[result.kind]++;
        if (result.kind === 'applied') {
          if (line.outcome === 'credited') outcomes[result.short ? 'shortCredits' : 'credited']++;
          if (line.outcome === 'rejected') outcomes.rejected++;
          if (line.outcome === 'returned') outcomes.returned++;
        }
      }
      if (counts.lines % PROGRESS_EVERY_LINES === 0) await report({ done: counts.lines, total: 0, ...counts });
    }
    const ingested: BankFileIngested = {
      type: 'BankFileIngested',
      data: {
        sha256: file.sha256,
        fileName: file.fileName,
        format: file.format,
        ...counts,
        exceptions: exceptions.length,
        ...outcomes,
        ingestedBy: context.actor.userId,
        at: context.now,
      },
    };
    await this.appendFileEvents(streamName, [...exceptions, ingested], context);
    await report({ done: counts.lines, total: counts.lines, ...counts, exceptions: exceptions.length });
    return { ...ingested.data, alreadyIngested: false };
  }

  private async applyLine(
    sha256: string,
    line: BankResultLine,
    context: LedgerContext,
  ): Promise<
    | { kind: 'applied'; short: boolean }
    | { kind: 'alreadyApplied' | 'acknowledged' | 'pending' }
    | { kind: 'exception'; exception: BankResultException }
  > {
    const paymentId = paymentIdOfLine(line);
    const history = paymentId ? await this.historyOf(paymentId) : EMPTY_HISTORY;
    const decision = reconcile(line, history, context);
    switch (decision.kind) {
      case 'already-applied':
        return { kind: 'alreadyApplied' };
      case 'acknowledged':
      case 'pending':
        return { kind: decision.kind };
      case 'exception':
        return { kind: 'exception', exception: exceptionOf(sha256, line, decision.reason, decision.detail, context) };
      case 'apply':
        try {
          const outcome = await handleCommand(
            this.store,
            paymentStreamName(decision.command.data.paymentId),
            paymentDecider,
            decision.command,
            { metadata: metadataOf(context) },
          );
          return { kind: 'applied', short: outcome.events.some((event) => event.type === 'PaymentDeductionFlagged') };
        } catch (error) {
          // The payment's own rules refused the line (a malformed reason code, a race): listed, not blocking.
          if (!(error instanceof DomainError)) throw error;
          const exception = exceptionOf(sha256, line, 'INVALID_LINE', `${error.code}: ${error.message}`, context);
          return { kind: 'exception', exception };
        }
    }
  }

  private async historyOf(paymentId: string): Promise<PaymentHistory> {
    let history = EMPTY_HISTORY;
    for await (const event of this.store.readStream(paymentStreamName(paymentId))) {
      history = evolveHistory(history, { type: event.type, data: event.data } as unknown as PaymentEvent);
    }
    return history;
  }

  private linesOf(file: ReceivedBankFile): AsyncIterable<BankResultLine> {
    const source = createReadStream(file.path, { highWaterMark: 64 * 1_024 }) as AsyncIterable<Buffer>;
    const limits = {
      ...DEFAULT_XML_LIMITS,
      maxBytes: this.config.maxResultFileBytes,
      maxElements: this.config.maxResultElements,
    };
    switch (file.format) {
      case 'pain.002.001.10':
        return readPain002(source, limits);
      case 'camt.054.001.08':
        return readCamt054(source, limits);
      case 'csv':
        return readBankResultCsv(source, { maxBytes: this.config.maxResultFileBytes, maxLines: limits.maxElements });
    }
  }

  private async ingested(streamName: string): Promise<BankFileIngested['data'] | undefined> {
    for await (const event of this.store.readStream(streamName, { direction: 'backwards', maxCount: 1 })) {
      if (event.type === 'BankFileIngested') return event.data as unknown as BankFileIngested['data'];
    }
    return undefined;
  }

  /**
   * The exceptions and the closing event, in appends of bounded size. Event ids are derived from
   * the file and the event's place, and each append names its expected revision: a retry after
   * a crash between two appends writes the same events again, which the store ignores.
   */
  private async appendFileEvents(streamName: string, events: readonly BankFileEvent[], context: LedgerContext) {
    const sha256 = streamName.slice('bank-file-'.length);
    for (let offset = 0; offset < events.length; offset += EVENTS_PER_APPEND) {
      const slice: NewEvent[] = events.slice(offset, offset + EVENTS_PER_APPEND).map((event, index) => ({
        id: deterministicId(BANK_FILE_EVENT_NAMESPACE, `${sha256}/${offset + index}`),
        type: event.type,
        data: event.data,
        metadata: metadataOf(context),
      }));
      await this.store.append(streamName, slice, { expectedRevision: offset === 0 ? 'no_stream' : offset - 1 });
    }
  }
}

function exceptionOf(
  sha256: string,
  line: BankResultLine,
  reason: BankResultException['data']['reason'],
  detail: string,
  context: LedgerContext,
): BankResultException {
  return {
    type: 'BankResultException',
    data: {
      sha256,
      line: line.line,
      endToEndId: line.endToEndId.slice(0, 64),
      paymentId: paymentIdOfLine(line) ?? null,
      outcome: line.outcome,
      reason,
      detail: detail.slice(0, 500),
      amount: line.amount?.slice(0, 40) ?? null,
      bankReference: line.bankReference.slice(0, 64),
      at: context.now,
    },
  };
}

function sniffXmlFormat(head: string): BankResultFormat {
  // The reader refuses it too; refusing it at the door tells the sender at once.
  if (/<!DOCTYPE/i.test(head)) throw new BankFileRefusedError('DOCTYPE_REFUSED', 'The file declares a DOCTYPE');
  if (head.includes('CstmrPmtStsRpt')) return 'pain.002.001.10';
  if (head.includes('BkToCstmrDbtCdtNtfctn')) return 'camt.054.001.08';
  throw new BankFileRefusedError('UNSUPPORTED_MESSAGE', 'The file is neither a pain.002.001.10 nor a camt.054.001.08');
}

function safeFileName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 200);
  return cleaned || 'bank-results';
}
