/**
 * A CSV file (RFC 4180: comma-separated, fields optionally in double quotes, "" for a quote) read
 * as a stream, one record at a time, each on its own: a record over the byte bound or malformed is
 * reported with its row number and reading goes on with the next one. A streaming parser that
 * fails the whole stream on one bad record loses the records it had already parsed but not yet
 * handed over (a 5 KB second row used to make a one-chunk file look empty), and reports one row's
 * fault as the file's.
 *
 * Rows are counted from 1 (the header), blank records (nothing but spaces or tabs) skipped and not
 * counted. Unquoted fields are trimmed of spaces and tabs; quoted fields keep what is inside the
 * quotes as written, line breaks included. A UTF-8 byte order mark at the start is dropped; text
 * that is not UTF-8 makes its record malformed (never replaced by U+FFFD).
 */
export interface CsvLimits {
  /** Bytes of one record, delimiters excluded; memory holds at most this much of it. */
  readonly maxRecordBytes: number;
  readonly maxFileBytes: number;
}

export type CsvRecord =
  | { readonly kind: 'fields'; readonly row: number; readonly fields: string[] }
  | { readonly kind: 'refused'; readonly row: number; readonly code: CsvRecordProblem; readonly reason: string }
  /** Reading stopped here: the file is over its bound. */
  | { readonly kind: 'stopped'; readonly reason: string };

export type CsvRecordProblem = 'ROW_TOO_LONG' | 'MALFORMED_ROW';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export async function* readCsvRecords(
  source: AsyncIterable<Buffer | string>,
  limits: CsvLimits,
): AsyncGenerator<CsvRecord> {
  const records = new RecordSplitter(limits.maxRecordBytes);
  let fileBytes = 0;
  let row = 0;
  const next = (raw: RawRecord): CsvRecord | undefined => {
    if (raw.blank) return undefined;
    row++;
    if (raw.bytes === undefined) {
      const quoted = raw.endedInQuotes ? ' (it opens a quoted field that does not close: is a quote missing?)' : '';
      return {
        kind: 'refused',
        row,
        code: 'ROW_TOO_LONG',
        reason: `the row is longer than the limit of ${limits.maxRecordBytes} bytes${quoted}`,
      };
    }
    const fields = parseCsvRecord(raw.bytes);
    return typeof fields === 'string'
      ? { kind: 'refused', row, code: 'MALFORMED_ROW', reason: fields }
      : { kind: 'fields', row, fields };
  };
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    fileBytes += bytes.length;
    if (fileBytes > limits.maxFileBytes) {
      yield { kind: 'stopped', reason: `the file is larger than ${limits.maxFileBytes} bytes` };
      return;
    }
    for (const raw of records.push(bytes)) {
      const record = next(raw);
      if (record) yield record;
    }
  }
  const last = records.end();
  const record = last && next(last);
  if (record) yield record;
}

/**
 * One record's fields, or why it is malformed (in words, without its content: it may be personal
 * data). `bytes` holds no record delimiter outside quotes.
 */
export function parseCsvRecord(bytes: Buffer): string[] | string {
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return 'the row is not valid UTF-8 text';
  }
  const fields: string[] = [];
  let position = 0;
  for (;;) {
    while (text[position] === ' ' || text[position] === '\t') position++;
    let field: string;
    if (text[position] === '"') {
      const closing = closingQuoteOf(text, position + 1);
      if (closing === -1) return `field ${fields.length + 1} opens a quote that does not close`;
      field = text.slice(position + 1, closing).replace(/""/g, '"');
      position = closing + 1;
      while (text[position] === ' ' || text[position] === '\t') position++;
      if (position < text.length && text[position] !== ',') {
        return `field ${fields.length + 1} has text after its closing quote`;
      }
    } else {
      const comma = text.indexOf(',', position);
      const end = comma === -1 ? text.length : comma;
      field = text.slice(position, endOfText(text, position, end));
      if (field.includes('"')) return `field ${fields.length + 1} has a quote inside it: quote the whole field`;
      position = end;
    }
    fields.push(field);
    if (position >= text.length) return fields;
    position++; // the comma
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Where an unquoted field's text ends, trailing spaces and tabs left out; by index (a regex would be quadratic). */
function endOfText(text: string, start: number, end: number): number {
  let last = end;
  while (last > start && (text[last - 1] === ' ' || text[last - 1] === '\t')) last--;
  return last;
}

/** The quote that closes a quoted field starting at `from`, skipping "" pairs; -1 when none does. */
function closingQuoteOf(text: string, from: number): number {
  let position = from;
  for (;;) {
    const quote = text.indexOf('"', position);
    if (quote === -1) return -1;
    if (text[quote + 1] !== '"') return quote;
    position = quote + 2;
  }
}

interface RawRecord {
  /** The record's bytes, or undefined when it was over the bound (then only its end was looked for). */
  readonly bytes: Buffer | undefined;
  readonly blank: boolean;
  /** The file ended inside a quoted field. */
  readonly endedInQuotes: boolean;
}

/**
 * Finds where records end, byte by byte across chunks: at a line feed or carriage return outside
 * quotes (UTF-8 never uses these bytes inside a multi-byte character). Keeps at most the bound of
 * one record; past it, only scans for the record's end.
 */
class RecordSplitter {
  private pieces: Buffer[] = [];
  private bytes = 0;
  private tooLong = false;
  private blank = true;
  private inQuotes = false;
  private fieldStart = true;
  private justClosed = false;
  private first = true;

  constructor(private readonly maxRecordBytes: number) {}

  push(chunk: Buffer): RawRecord[] {
    let input = chunk;
    if (this.first) {
      this.first = false;
      if (input.subarray(0, BOM.length).equals(BOM)) input = input.subarray(BOM.length);
    }
    const records: RawRecord[] = [];
    let start = 0;
    for (let index = 0; index < input.length; index++) {
      const byte = input[index];
      if (this.inQuotes) {
        if (byte === QUOTE) [this.inQuotes, this.justClosed] = [false, true];
        continue;
      }
      if (byte === LINE_FEED || byte === CARRIAGE_RETURN) {
        this.keep(input.subarray(start, index));
        records.push(this.take());
        start = index + 1;
        continue;
      }
      if (byte === QUOTE) {
        if (this.fieldStart || this.justClosed) this.inQuotes = true;
        [this.fieldStart, this.justClosed, this.blank] = [false, false, false];
      } else if (byte === COMMA) {
        [this.fieldStart, this.justClosed, this.blank] = [true, false, false];
      } else if (byte === SPACE || byte === TAB) {
        this.justClosed = false;
      } else {
        [this.fieldStart, this.justClosed, this.blank] = [false, false, false];
      }
    }
    this.keep(input.subarray(start));
    return records;
  }

  /** What is left at the end of the file, if anything. */
  end(): RawRecord | undefined {
    if (this.bytes === 0) return undefined;
    return this.take();
  }

  private keep(piece: Buffer): void {
    if (piece.length === 0) return;
    this.bytes += piece.length;
    if (this.tooLong) return;
    if (this.bytes > this.maxRecordBytes) {
      [this.tooLong, this.pieces] = [true, []];
      return;
    }
    // A copy: a slice would keep the whole chunk alive while the record waits for its end.
    this.pieces.push(Buffer.from(piece));
  }

  private take(): RawRecord {
    const record: RawRecord = {
      bytes: this.tooLong ? undefined : Buffer.concat(this.pieces),
      blank: this.blank && !this.tooLong,
      endedInQuotes: this.inQuotes,
    };
    this.pieces = [];
    this.bytes = 0;
    [this.tooLong, this.blank, this.inQuotes, this.fieldStart, this.justClosed] = [false, true, false, true, false];
    return record;
  }
}
