import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { beneficiaryIdFor, LEDGER_CONFIG, LedgerConfig, LedgerContext } from '@salur/application';
import { DomainError, invalid } from '@salur/kernel';
import { parse } from 'csv-parse';
import type { Readable } from 'node:stream';
import { EnrolBeneficiaryCommand } from './beneficiary.messages';

/** The registry extract's columns, in this order, with a header row. */
export const BULK_ENROLMENT_COLUMNS = [
  'nik',
  'kk',
  'name',
  'region_code',
  'bank_code',
  'account_number',
  'account_holder_name',
] as const;

export const MAX_BULK_ENROLMENT_BYTES = 20 * 1_048_576;
export const MAX_BULK_ENROLMENT_ROWS = 100_000;
const MAX_RECORD_BYTES = 4_096;

export type RowOutcome =
  | { readonly row: number; readonly status: 'enrolled' | 'already-enrolled'; readonly beneficiaryId: string }
  | {
      readonly row: number;
      readonly status: 'rejected';
      readonly code: string;
      readonly field?: string;
      readonly reason: string;
    };

export interface BulkEnrolmentReport {
  readonly programmeId: string;
  readonly rows: number;
  readonly enrolled: number;
  readonly alreadyEnrolled: number;
  readonly rejected: number;
  /** Set when the file itself stopped being readable: rows after it were not read. */
  readonly fileError?: string;
  readonly results: readonly RowOutcome[];
}

/**
 * Enrols a registry extract row by row. A bad row is reported and skipped, never blocking the
 * good ones; re-posting the same file enrols nobody twice (the ids are derived from programme
 * and NIK), and its rows come back as already enrolled. The file is read as a stream and its
 * rows are handled as they arrive, so memory holds one row and the report.
 */
@Injectable()
export class BulkEnrolment {
  constructor(
    private readonly commands: CommandBus,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  async enrol(programmeId: string, source: Readable, context: LedgerContext): Promise<BulkEnrolmentReport> {
    const results: RowOutcome[] = [];
    let fileError: string | undefined;
    const parser = source.pipe(
      parse({
        bom: true,
        trim: true,
        skip_empty_lines: true,
        relax_column_count: true,
        max_record_size: MAX_RECORD_BYTES,
      }),
    );
    let bytes = 0;
    source.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > MAX_BULK_ENROLMENT_BYTES)
        source.destroy(new Error(`the file is larger than ${MAX_BULK_ENROLMENT_BYTES} bytes`));
    });
    let line = 0;
    try {
      for await (const record of parser as AsyncIterable<string[]>) {
        line++;
        if (line === 1) {
          assertHeader(record);
          continue;
        }
        if (line - 1 > MAX_BULK_ENROLMENT_ROWS) {
          fileError = `only the first ${MAX_BULK_ENROLMENT_ROWS} rows are read`;
          break;
        }
        results.push(await this.enrolRow(programmeId, line, record, context));
      }
    } catch (error) {
      if (error instanceof DomainError) throw error;
      fileError = `reading stopped after row ${line}: ${(error as Error).message}`;
    }
    if (line === 0) throw invalid('EMPTY_FILE', 'The file has no header row', 'file');
    return summarise(programmeId, results, fileError);
  }

  private async enrolRow(
    programmeId: string,
    row: number,
    record: string[],
    context: LedgerContext,
  ): Promise<RowOutcome> {
    if (record.length !== BULK_ENROLMENT_COLUMNS.length) {
      return {
        row,
        status: 'rejected',
        code: 'WRONG_COLUMN_COUNT',
        reason: `expected ${BULK_ENROLMENT_COLUMNS.length} columns, found ${record.length}`,
      };
    }
    const [nik, kk, name, regionCode, bankCode, accountNumber, accountHolderName] = record;
    const command = new EnrolBeneficiaryCommand(
      programmeId,
      { nik, kk, name, regionCode, bankAccount: { bankCode, accountNumber, accountHolderName } },
      context,
    );
    try {
      const receipt = await this.commands.execute(command);
      return { row, status: 'enrolled', beneficiaryId: receipt.id };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.code === 'DUPLICATE_ENROLMENT') {
        // The same NIK in the same programme: its derived id tells which enrolment it is.
        const beneficiaryId = beneficiaryIdFor(this.config.beneficiaryIdKey, programmeId, nik);
        return { row, status: 'already-enrolled', beneficiaryId };
      }
      if (error.code === 'PROGRAMME_NOT_FOUND') throw error;
      return { row, status: 'rejected', code: error.code, field: error.field, reason: error.message };
    }
  }
}

function assertHeader(record: string[]): void {
  const expected = BULK_ENROLMENT_COLUMNS.join(',');
  if (record.map((column) => column.toLowerCase()).join(',') !== expected) {
    throw invalid('WRONG_HEADER', `The header row must be: ${expected}`, 'file');
  }
}

function summarise(programmeId: string, results: RowOutcome[], fileError: string | undefined): BulkEnrolmentReport {
  const count = (status: RowOutcome['status']) => results.filter((result) => result.status === status).length;
  return {
    programmeId,
    rows: results.length,
    enrolled: count('enrolled'),
    alreadyEnrolled: count('already-enrolled'),
    rejected: count('rejected'),
    ...(fileError ? { fileError } : {}),
    results,
  };
}
