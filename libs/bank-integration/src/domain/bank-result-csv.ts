import { parse } from 'csv-parse';
import { Readable } from 'node:stream';
import { BankResultLine, BankResultOutcome } from './bank-result-line';
import { BankFileRefusedError } from './bounded-xml';
import { csvRow } from './bank-csv';

/** The bank's CSV equivalent of pain.002 + camt.054: these columns, in this order, after a header row. */
export const BANK_RESULT_CSV_COLUMNS = [
  'end_to_end_id',
  'outcome',
  'amount',
  'currency',
  'account_number',
  'reason_code',
  'bank_reference',
  'value_date',
  'batch_id',
] as const;

const OUTCOMES: readonly BankResultOutcome[] = ['credited', 'rejected', 'returned', 'pending', 'accepted'];
const MAX_RECORD_BYTES = 4_096;

export interface CsvLimits {
  readonly maxBytes: number;
  readonly maxLines: number;
}

export const DEFAULT_CSV_LIMITS: CsvLimits = { maxBytes: 64 * 1_048_576, maxLines: 1_000_000 };

/** Streams the result CSV; every cell stays a string (csv-parse casts nothing unless asked). */
export async function* readBankResultCsv(
  source: AsyncIterable<Buffer | string>,
  limits: CsvLimits = DEFAULT_CSV_LIMITS,
): AsyncGenerator<BankResultLine> {
  let bytes = 0;
  const bounded = Readable.from(
    (async function* () {
      for await (const chunk of source) {
        bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
        if (bytes > limits.maxBytes) {
          throw new BankFileRefusedError('FILE_TOO_LARGE', `The file is larger than ${limits.maxBytes} bytes`);
        }
        yield chunk;
      }
    })(),
  );
  const parser = bounded.pipe(
    parse({
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      max_record_size: MAX_RECORD_BYTES,
    }),
  );
  bounded.on('error', (error) => parser.destroy(error));
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row++;
      if (row === 1) {
        if (record.join(',') !== BANK_RESULT_CSV_COLUMNS.join(',')) {
          throw new BankFileRefusedError(
            'MALFORMED_CSV',
            `The header row must be ${BANK_RESULT_CSV_COLUMNS.join(',')}`,
          );
        }
        continue;
      }
      if (row - 1 > limits.maxLines) {
        throw new BankFileRefusedError('TOO_MANY_ELEMENTS', `More than ${limits.maxLines} lines`);
      }
      yield lineOf(row - 1, record);
    }
  } catch (error) {
    if (error instanceof BankFileRefusedError) throw error;
    throw new BankFileRefusedError('MALFORMED_CSV', `Not a readable CSV: ${(error as Error).message}`);
  }
}

function lineOf(line: number, record: readonly string[]): BankResultLine {
  const cell = (index: number): string | undefined => (record[index] ? record[index] : undefined);
  const outcome = cell(1) as BankResultOutcome | undefined;
  return {
    line,
    endToEndId: cell(0) ?? '',
    outcome: outcome && OUTCOMES.includes(outcome) ? outcome : 'unrecognised',
    amount: cell(2),
    currency: cell(3),
    account: cell(4),
    reasonCode: cell(5),
    bankReference: cell(6) ?? `csv/${line}`,
    accountServicerReference: cell(6),
    valueDate: cell(7),
    paymentInfoId: cell(8),
    status: cell(1),
  };
}

/** One result line as the bank's CSV writes it (the simulator and the tests use it). */
export function bankResultCsvRow(line: Omit<BankResultLine, 'line' | 'status'>): string {
  return csvRow([
    line.endToEndId,
    line.outcome,
    line.amount ?? '',
    line.currency ?? '',
    line.account ?? '',
    line.reasonCode ?? '',
    line.bankReference,
    line.valueDate ?? '',
    line.paymentInfoId ?? '',
  ]);
}
