import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { beneficiaryIdFor, LEDGER_CONFIG, LedgerConfig, LedgerContext } from '@salur/application';
import { DomainError, invalid } from '@salur/kernel';
import type { Readable } from 'node:stream';
import { EnrolBeneficiaryCommand } from './beneficiary.messages';
import { CsvRecord, readCsvRecords } from './csv-records';

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
/** One row, the header included: ten times a real row, and what memory holds of a row at most. */
export const MAX_BULK_ENROLMENT_ROW_BYTES = 4_096;

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
 * rows are handled as they arrive, so memory holds one row and the report. A row over
 * MAX_BULK_ENROLMENT_ROW_BYTES or malformed is one rejected row (ROW_TOO_LONG, MALFORMED_ROW);
 * a header that is either refuses the file (400 HEADER_TOO_LONG, WRONG_HEADER), as a missing
 * one does (EMPTY_FILE).
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
    let line = 0;
    const limits = { maxRecordBytes: MAX_BULK_ENROLMENT_ROW_BYTES, maxFileBytes: MAX_BULK_ENROLMENT_BYTES };
    try {
      for await (const record of readCsvRecords(source as AsyncIterable<Buffer>, limits)) {
        if (record.kind === 'stopped') {
          fileError = `reading stopped after row ${line}: ${record.reason}`;
          break;
        }
        line = record.row;
        if (line === 1) {
          assertHeader(record);
          continue;
        }
        if (line - 1 > MAX_BULK_ENROLMENT_ROWS) {
          fileError = `only the first ${MAX_BULK_ENROLMENT_ROWS} rows are read`;
          break;
        }
        results.push(
          record.kind === 'refused'
            ? { row: line, status: 'rejected', code: record.code, reason: record.reason }
            : await this.enrolRow(programmeId, line, record.fields, context),
        );
      }
    } catch (error) {
      if (error instanceof DomainError) throw error;
      // The upload itself broke off (the client went away): what was read is reported.
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

function assertHeader(record: Exclude<CsvRecord, { kind: 'stopped' }>): void {
  const expected = BULK_ENROLMENT_COLUMNS.join(',');
  if (record.kind === 'refused' && record.code === 'ROW_TOO_LONG') {
    throw invalid(
      'HEADER_TOO_LONG',
      `The header row is longer than the limit of ${MAX_BULK_ENROLMENT_ROW_BYTES} bytes; it must be: ${expected}`,
      'file',
    );
  }
  if (record.kind === 'refused')
    throw invalid('WRONG_HEADER', `The header row must be: ${expected} (${record.reason})`, 'file');
  if (record.fields.map((column) => column.toLowerCase()).join(',') !== expected) {
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
