import { Inject, Injectable } from '@nestjs/common';
import { LedgerContext, MAX_COMMAND_ATTEMPTS, metadataOf, requireDomainEvent, toDomainEvent } from '@salur/application';
import {
  EVENT_STORE,
  EventStore,
  JsonObject,
  NewEvent,
  StreamAppend,
  WrongExpectedRevisionError,
} from '@salur/event-store';
import { deterministicId } from '@salur/kernel';
import { PAYMENT_EVENTS, PaymentEvent, paymentStreamName } from '@salur/payments/domain';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { BANK_INTEGRATION_CONFIG, BankIntegrationConfig, EXCEPTIONS_ALWAYS_QUEUED } from '../bank-integration.config';
import {
  BANK_FILE_EVENTS,
  BANK_FILE_LINE_METADATA,
  batchOfExceptionLine,
  BankFileEvent,
  BankFileIngested,
  BankFileRefusedError,
  bankFileStreamName,
  BankResultException,
  BankResultFileRef,
  BankResultFormat,
  BankResultLine,
  CAMT054_NAMESPACE,
  DEFAULT_XML_LIMITS,
  EMPTY_HISTORY,
  evolveHistory,
  ExceptionReason,
  LineSettlement,
  PAIN002_NAMESPACE,
  PaymentHistory,
  paymentIdOfLine,
  readBankResultCsv,
  readCamt054,
  readPain002,
  settleLine,
} from '../domain';
import { ConflictingOutcomes, OutcomesInFile } from '../domain/file-outcomes';
import { ReportProgress } from '@salur/queue';

/** Namespace of the ids of a bank file's events (fixed forever): a retried append writes nothing twice. */
export const BANK_FILE_EVENT_NAMESPACE = '6a3e9d17-2f4b-5a80-9c5e-0b8d4f1e7a62';
/** Events per append to the file's stream, well under EVENT_STORE_MAX_APPEND_BYTES. */
const EVENTS_PER_APPEND = 200;
/**
 * Lines decided together and appended in one multi-stream transaction (one commit, so one fsync,
 * instead of one per payment). At most two events a line: under the store's 10,000 per append.
 */
const LINES_PER_CHUNK = 1_000;
/** Exceptions listed in the job's answer with their line and reason (all of them are in the ledger). */
const LISTED_EXCEPTIONS = 100;
/** Bad lines named in the error that refuses a file for having too many. */
const LISTED_IN_REFUSAL = 5;
const DUPLICATE_IN_FILE = 'The same outcome for this EndToEndId is listed earlier in this file';
/** How much of a received XML file is looked at to tell pain.002 from camt.054. */
const SNIFF_BYTES = 4_096;

export interface ReceivedBankFile {
  readonly sha256: string;
  readonly format: BankResultFormat;
  readonly fileName: string;
  readonly path: string;
}

export type ListedException = Pick<BankResultException['data'], 'line' | 'endToEndId' | 'reason' | 'detail'>;

export type IngestionSummary = BankFileIngested['data'] & {
  readonly alreadyIngested: boolean;
  /** Exceptions per reason, and the first of them with their line: what the sender has to look at. */
  readonly exceptionReasons: Partial<Record<ExceptionReason, number>>;
  readonly firstExceptions: readonly ListedException[];
};

type LineResult =
  LineSettlement | { readonly kind: 'duplicate' } | { readonly kind: 'conflict'; readonly detail: string };

/** A line's settlement, with the batch an exception of it counts against. */
interface Settled {
  readonly result: LineResult;
  readonly batchId: string | null;
}

/** What one ingestion has done so far; the file's stream receives its exceptions as they come. */
class Tally {
  readonly counts = { lines: 0, applied: 0, alreadyApplied: 0, acknowledged: 0, pending: 0 };
  readonly outcomes = { credited: 0, shortCredits: 0, rejected: 0, returned: 0 };
  readonly reasons: Partial<Record<ExceptionReason, number>> = {};
  readonly firstExceptions: ListedException[] = [];
  /** Exceptions not yet appended to the file's stream, and how many events it already holds. */
  unwritten: BankResultException[] = [];
  written = 0;
  exceptions = 0;

  constructor(
    private readonly sha256: string,
    private readonly context: LedgerContext,
  ) {}

  record(line: BankResultLine, { result, batchId }: Settled): void {
    this.counts.lines++;
    if (result.kind === 'duplicate') {
      this.raise(line, 'DUPLICATE', DUPLICATE_IN_FILE, batchId);
    } else if (result.kind === 'conflict') {
      this.raise(line, 'CONFLICTING_STATUS', result.detail, batchId);
    } else if (result.kind === 'exception') {
      this.raise(line, result.reason, result.detail, batchId);
    } else if (result.kind === 'applied') {
      this.counts.applied++;
      if (line.outcome === 'credited') {
        this.outcomes[
          result.events.some((event) => event.type === 'PaymentDeductionFlagged') ? 'shortCredits' : 'credited'
        ]++;
      }
      if (line.outcome === 'rejected') this.outcomes.rejected++;
      if (line.outcome === 'returned') this.outcomes.returned++;
    } else {
      this.counts[result.kind]++;
    }
  }

  private raise(line: BankResultLine, reason: ExceptionReason, detail: string, batchId: string | null): void {
    const exception = exceptionOf(this.sha256, line, reason, detail, batchId, this.context);
    this.exceptions++;
    this.reasons[reason] = (this.reasons[reason] ?? 0) + 1;
    if (this.firstExceptions.length < LISTED_EXCEPTIONS) this.firstExceptions.push(listed(exception));
    this.unwritten.push(exception);
  }
}

/**
 * Bank results in: a received file is kept under its SHA-256, read once whole to refuse it before
 * any effect if it is unreadable, then read again as a stream, a chunk of lines at a time. Each
 * line is reconciled against its payment's history: a new outcome is recorded on the payment, an
 * outcome already recorded changes nothing, anything else goes to the exception list with its
 * reason and never blocks the other lines. The file's own stream (`bank-file-<sha256>`) ends with
 * BankFileIngested; once it is there, the same file again changes nothing.
 *
 * Two ingestions of the same file at once (two workers, two jobs) leave one effect: every payment
 * event is appended with the revision its decision was read at, so the slower writer finds the
 * stream moved and decides again, on the fresher state: already applied. The file's events carry
 * ids derived from their place and content, so the slower writer's identical list is taken as a
 * retry and a differing one is refused, never written twice.
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
          throw tooLarge(this.config.maxResultFileBytes);
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
    if (done) return done;
    const { lines: total, conflicts } = await this.checkLines(file, context, report);
    const tally = new Tally(file.sha256, context);
    const metadata = metadataOf(context);
    const outcomes = new OutcomesInFile();
    let chunk: BankResultLine[] = [];
    const settle = async () => {
      await this.settleChunk(file, chunk, { outcomes, conflicts }, context, metadata, tally);
      chunk = [];
      await this.appendExceptions(streamName, tally, metadata, false);
      await report({ done: tally.counts.lines, total, ...tally.counts, exceptions: tally.exceptions });
    };
    for await (const line of this.linesOf(file)) {
      chunk.push(line);
      if (chunk.length >= LINES_PER_CHUNK) await settle();
    }
    if (chunk.length > 0) await settle();
    const ingested: BankFileIngested = {
      type: 'BankFileIngested',
      data: {
        sha256: file.sha256,
        fileName: file.fileName,
        format: file.format,
        ...tally.counts,
        exceptions: tally.exceptions,
        ...tally.outcomes,
        ingestedBy: context.actor.userId,
        at: context.now,
      },
    };
    try {
      await this.appendExceptions(streamName, tally, metadata, true);
      await this.appendFileEvents(streamName, tally.written, [ingested], metadata);
    } catch (error) {
      // A twin ingestion closed the file first with another view of it: its record stands.
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      const closed = await this.ingested(streamName);
      if (closed) return closed;
      throw error;
    }
    return {
      ...ingested.data,
      alreadyIngested: false,
      exceptionReasons: tally.reasons,
      firstExceptions: tally.firstExceptions,
    };
  }

  /**
   * A dry run of the whole file before anything of it is applied: refuses it whole when it is too
   * large, malformed, in another namespace or over a bound anywhere (a truncated file must not be
   * half ingested), and when more of its lines would go to the exception queue than the bounds
   * allow (BANK_RESULT_MAX_EXCEPTIONS, BANK_RESULT_MAX_EXCEPTION_PERCENT): a file of unknown
   * references is the wrong file, not 170,000 items of work. Each chunk is decided on the
   * payments as they are now, exactly as the ingestion will decide it, and nothing is written.
   * Over the count bound it stops at once. Returns the number of lines, and the payments the file
   * states conflicting outcomes for (OutcomesInFile): known only once the whole file is read, so
   * the ingestion applies none of their lines, wherever they are. Their lines count against the
   * bounds too (a line also found bad otherwise counts twice: the bound errs towards refusing).
   *
   * Another writer may move a payment between this run and the ingestion; the bound is a check
   * of the file's quality, and the ingestion records what it then finds.
   */
  private async checkLines(
    file: ReceivedBankFile,
    context: LedgerContext,
    report: ReportProgress,
  ): Promise<{ lines: number; conflicts: ConflictingOutcomes }> {
    const { size } = await stat(file.path);
    if (size > this.config.maxResultFileBytes) throw tooLarge(this.config.maxResultFileBytes);
    const metadata = metadataOf(context);
    const outcomes = new OutcomesInFile();
    const bad: ListedException[] = [];
    let badLines = 0;
    let lines = 0;
    let chunk: BankResultLine[] = [];
    const check = async () => {
      const { fresh, duplicates } = splitDuplicates(chunk, outcomes);
      const { results } = await this.decideTogether(file, fresh, context, metadata);
      const found = [
        ...duplicates.map((line) => ({ line, reason: 'DUPLICATE' as const, detail: DUPLICATE_IN_FILE })),
        ...fresh.flatMap((line, index) => {
          const { result } = results[index];
          return result.kind === 'exception' ? [{ line, reason: result.reason, detail: result.detail }] : [];
        }),
      ];
      badLines += found.length;
      for (const { line, reason, detail } of found) {
        if (bad.length < LISTED_IN_REFUSAL) bad.push({ line: line.line, endToEndId: line.endToEndId, reason, detail });
      }
      chunk = [];
      if (badLines > this.config.maxResultExceptions) {
        throw tooManyExceptions(`more than ${this.config.maxResultExceptions} (BANK_RESULT_MAX_EXCEPTIONS)`, bad);
      }
      await report({ done: 0, total: 0, checked: lines, exceptions: badLines });
    };
    for await (const line of this.linesOf(file)) {
      lines = line.line;
      chunk.push(line);
      if (chunk.length >= LINES_PER_CHUNK) await check();
    }
    if (chunk.length > 0) await check();
    const conflicts = outcomes.conflicts();
    badLines += conflicts.lines;
    if (badLines > this.config.maxResultExceptions) {
      throw tooManyExceptions(`more than ${this.config.maxResultExceptions} (BANK_RESULT_MAX_EXCEPTIONS)`, bad);
    }
    const percent = this.config.maxResultExceptionPercent;
    if (badLines > EXCEPTIONS_ALWAYS_QUEUED && badLines * 100 > lines * percent) {
      throw tooManyExceptions(
        `${badLines} of ${lines} lines, more than ${percent}% (BANK_RESULT_MAX_EXCEPTION_PERCENT)`,
        bad,
      );
    }
    return { lines, conflicts };
  }

  /**
   * Decides a chunk of lines on the payments' histories as read, and appends every payment's new
   * events in one multi-stream transaction. If another writer moved one of those payments in
   * between, the transaction writes nothing and each line is decided again on its own.
   */
  private async settleChunk(
    file: BankResultFileRef,
    lines: readonly BankResultLine[],
    { outcomes, conflicts }: { outcomes: OutcomesInFile; conflicts: ConflictingOutcomes },
    context: LedgerContext,
    metadata: JsonObject,
    tally: Tally,
  ): Promise<void> {
    // A payment the file contradicts itself on (the dry run found them all) is left as it is.
    const agreeing: BankResultLine[] = [];
    for (const line of lines) {
      const detail = conflicts.detailOf(line);
      if (detail === undefined) {
        agreeing.push(line);
        continue;
      }
      tally.record(line, { result: { kind: 'conflict', detail }, batchId: batchOfExceptionLine(line, EMPTY_HISTORY) });
    }
    const { fresh, duplicates } = splitDuplicates(agreeing, outcomes);
    for (const line of duplicates) {
      tally.record(line, { result: { kind: 'duplicate' }, batchId: batchOfExceptionLine(line, EMPTY_HISTORY) });
    }
    const appendMany = this.store.appendMany?.bind(this.store);
    if (appendMany) {
      const { results, appends } = await this.decideTogether(file, fresh, context, metadata);
      try {
        if (appends.length > 0) await appendMany(appends);
        fresh.forEach((line, index) => tally.record(line, results[index]));
        return;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
      }
    }
    for (const line of fresh) tally.record(line, await this.settleAlone(file, line, context, metadata));
  }

  private async decideTogether(
    file: BankResultFileRef,
    lines: readonly BankResultLine[],
    context: LedgerContext,
    metadata: JsonObject,
  ): Promise<{ results: Settled[]; appends: StreamAppend[] }> {
    const payments = new Map<string, { history: PaymentHistory; revision: number; events: NewEvent[] }>();
    const results: Settled[] = [];
    for (const line of lines) {
      const paymentId = paymentIdOfLine(line);
      let payment = paymentId === undefined ? undefined : payments.get(paymentId);
      if (paymentId !== undefined && payment === undefined) {
        payment = { ...(await this.historyOf(paymentId)), events: [] };
        payments.set(paymentId, payment);
      }
      // A second line of the same payment in this chunk is decided on the history the first one left.
      const history = payment?.history ?? EMPTY_HISTORY;
      const result = settleLine(line, history, context, file);
      if (result.kind === 'applied' && payment) {
        payment.history = result.events.reduce(evolveHistory, payment.history);
        payment.events.push(...newEvents(result.events, lineMetadata(metadata, file.sha256, line)));
      }
      results.push({ result, batchId: batchOfExceptionLine(line, history) });
    }
    const appends: StreamAppend[] = [];
    for (const [paymentId, { revision, events }] of payments) {
      if (events.length === 0) continue;
      const expectedRevision = revision === -1 ? 'no_stream' : revision;
      appends.push({ streamName: paymentStreamName(paymentId), events, options: { expectedRevision } });
    }
    return { results, appends };
  }

  /** One line on a freshly read history; a lost race is decided again, a bounded number of times. */
  private async settleAlone(
    file: BankResultFileRef,
    line: BankResultLine,
    context: LedgerContext,
    metadata: JsonObject,
  ): Promise<Settled> {
    const paymentId = paymentIdOfLine(line);
    for (let attempt = 1; ; attempt++) {
      const { history, revision } = paymentId
        ? await this.historyOf(paymentId)
        : { history: EMPTY_HISTORY, revision: -1 };
      const result = settleLine(line, history, context, file);
      const settled = { result, batchId: batchOfExceptionLine(line, history) };
      if (result.kind !== 'applied' || paymentId === undefined) return settled;
      try {
        const events = newEvents(result.events, lineMetadata(metadata, file.sha256, line));
        await this.store.append(paymentStreamName(paymentId), events, {
          expectedRevision: revision === -1 ? 'no_stream' : revision,
        });
        return settled;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= MAX_COMMAND_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 4 * 2 ** attempt));
      }
    }
  }

  private async historyOf(paymentId: string): Promise<{ history: PaymentHistory; revision: number }> {
    let history = EMPTY_HISTORY;
    let revision = -1;
    for await (const recorded of this.store.readStream(paymentStreamName(paymentId))) {
      history = evolveHistory(history, requireDomainEvent(recorded, PAYMENT_EVENTS));
      revision = recorded.revision;
    }
    return { history, revision };
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

  /** The summary of a file already ingested, with its exceptions as the ledger holds them. */
  private async ingested(streamName: string): Promise<IngestionSummary | undefined> {
    let closing: BankFileIngested['data'] | undefined;
    for await (const recorded of this.store.readStream(streamName, { direction: 'backwards', maxCount: 1 })) {
      const event = toDomainEvent(recorded, BANK_FILE_EVENTS);
      if (event?.type === 'BankFileIngested') closing = event.data;
    }
    if (!closing) return undefined;
    const reasons: Partial<Record<ExceptionReason, number>> = {};
    const firstExceptions: ListedException[] = [];
    for await (const recorded of this.store.readStream(streamName)) {
      const event = toDomainEvent(recorded, BANK_FILE_EVENTS);
      if (event?.type !== 'BankResultException') continue;
      reasons[event.data.reason] = (reasons[event.data.reason] ?? 0) + 1;
      if (firstExceptions.length < LISTED_EXCEPTIONS) firstExceptions.push(listed(event));
    }
    return { ...closing, alreadyIngested: true, exceptionReasons: reasons, firstExceptions };
  }

  /** Appends the exceptions gathered so far in full slices (all of them when `all`). */
  private async appendExceptions(streamName: string, tally: Tally, metadata: JsonObject, all: boolean) {
    while (tally.unwritten.length >= EVENTS_PER_APPEND || (all && tally.unwritten.length > 0)) {
      const slice = tally.unwritten.splice(0, EVENTS_PER_APPEND);
      await this.appendFileEvents(streamName, tally.written, slice, metadata);
      tally.written += slice.length;
    }
  }

  /**
   * Event ids are derived from the file, the event's place and what it says, and each append names
   * its expected revision: a retry after a crash writes the same events again, which the store
   * ignores, while a twin ingestion that saw the file otherwise is refused.
   */
  private async appendFileEvents(streamName: string, written: number, events: BankFileEvent[], metadata: JsonObject) {
    const sha256 = streamName.slice('bank-file-'.length);
    const slice: NewEvent[] = events.map((event, index) => ({
      id: deterministicId(BANK_FILE_EVENT_NAMESPACE, `${sha256}/${written + index}/${identityOf(event)}`),
      type: event.type,
      data: event.data,
      metadata,
    }));
    await this.store.append(streamName, slice, { expectedRevision: written === 0 ? 'no_stream' : written - 1 });
  }
}

/** Lines whose outcome for their payment is listed earlier in this file, and the others, in file order. */
function splitDuplicates(
  lines: readonly BankResultLine[],
  outcomes: OutcomesInFile,
): { fresh: BankResultLine[]; duplicates: BankResultLine[] } {
  const fresh: BankResultLine[] = [];
  const duplicates: BankResultLine[] = [];
  for (const line of lines) (outcomes.add(line) ? duplicates : fresh).push(line);
  return { fresh, duplicates };
}

/**
 * The metadata of a line's payment events: the command's, and the file line that caused them, so
 * a short credit is an item of its file and line in the exception queue, written in the same
 * append as the credit itself (no crash can leave one without the other).
 */
function lineMetadata(metadata: JsonObject, sha256: string, line: BankResultLine): JsonObject {
  return { ...metadata, [BANK_FILE_LINE_METADATA]: { sha256, line: line.line } };
}

function identityOf(event: BankFileEvent): string {
  return event.type === 'BankResultException'
    ? `${event.type}/${event.data.line}/${event.data.reason}`
    : `${event.type}/${event.data.lines}/${event.data.exceptions}`;
}

/**
 * A line's payment events. Their ids need not be derived: the expected revision alone keeps a
 * twin ingestion from writing a second outcome, and a random UUID costs a fraction of a UUIDv5.
 */
function newEvents(events: readonly PaymentEvent[], metadata: JsonObject): NewEvent[] {
  return events.map((event) => ({
    id: randomUUID(),
    type: event.type,
    data: event.data,
    metadata,
  }));
}

function listed({ data }: BankResultException): ListedException {
  return { line: data.line, endToEndId: data.endToEndId, reason: data.reason, detail: data.detail };
}

/**
 * One error for a file with too many bad lines, naming the bound it crossed and the first of
 * them, instead of one exception per line: nothing of the file was recorded.
 */
function tooManyExceptions(bound: string, first: readonly ListedException[]): BankFileRefusedError {
  const listed = first.map(({ line, reason }) => `line ${line} ${reason}`).join(', ');
  return new BankFileRefusedError(
    'TOO_MANY_EXCEPTIONS',
    `Too many lines of this file do not reconcile (${bound}; first: ${listed}): ` +
      'the file was refused whole and nothing of it was recorded. Check that it is the right file for this ledger.',
  );
}

function tooLarge(maxBytes: number): BankFileRefusedError {
  return new BankFileRefusedError(
    'FILE_TOO_LARGE',
    `The file is larger than ${maxBytes} bytes (BANK_RESULT_MAX_BYTES); nothing of it was read further`,
  );
}

function exceptionOf(
  sha256: string,
  line: BankResultLine,
  reason: BankResultException['data']['reason'],
  detail: string,
  batchId: string | null,
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
      batchId,
      accountNumber: line.account?.slice(0, 64) ?? null,
      at: context.now,
    },
  };
}

const XML_FORMATS: ReadonlyArray<{ format: BankResultFormat; message: string; namespace: string }> = [
  { format: 'pain.002.001.10', message: 'CstmrPmtStsRpt', namespace: PAIN002_NAMESPACE },
  { format: 'camt.054.001.08', message: 'BkToCstmrDbtCdtNtfctn', namespace: CAMT054_NAMESPACE },
];

/** Tells the format from the Document's namespace; a known message in another version is refused by name. */
function sniffXmlFormat(head: string): BankResultFormat {
  // The reader refuses it too; refusing it at the door tells the sender at once.
  if (/<!DOCTYPE/i.test(head)) throw new BankFileRefusedError('DOCTYPE_REFUSED', 'The file declares a DOCTYPE');
  const document = /<(?:([A-Za-z_][\w.-]*):)?Document\b([^>]*)>/.exec(head);
  const declaration = document ? `xmlns${document[1] ? `:${document[1]}` : ''}` : 'xmlns';
  const found = document ? new RegExp(`\\s${declaration}\\s*=\\s*["']([^"']*)["']`).exec(document[2])?.[1] : undefined;
  const known = XML_FORMATS.find((candidate) => candidate.namespace === found);
  if (known) return known.format;
  const expected = XML_FORMATS.find((candidate) => head.includes(candidate.message));
  const wanted = expected ? expected.namespace : XML_FORMATS.map((candidate) => candidate.namespace).join(' or ');
  throw new BankFileRefusedError('WRONG_NAMESPACE', `Expected namespace ${wanted}, found ${found || 'no namespace'}`);
}

function safeFileName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 200);
  return cleaned || 'bank-results';
}
