import {
  checkHeader,
  checkTransfer,
  CreditTransfer,
  CreditTransferFileHeader,
  StreamedTotals,
} from './credit-transfer';

/** The bank CSV's columns, in this order, after a header row of these names. */
export const BANK_CSV_COLUMNS = [
  'end_to_end_id',
  'batch_id',
  'debtor_account',
  'beneficiary_name',
  'bank_code',
  'bic',
  'account_number',
  'amount',
  'currency',
  'charge_bearer',
  'category_purpose',
  'execution_date',
  'remittance_info',
] as const;

/** A spreadsheet runs a cell starting with one of these as a formula (CSV/formula injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell: a cell a spreadsheet would read as a formula gets a leading apostrophe (the
 * OWASP advice), then the cell is quoted if it holds a comma, a quote or a line break.
 */
export function csvCell(value: string): string {
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

export function csvRow(values: readonly string[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/** The bank's CSV rendering of the same batch, with the same checks as the pain.001. */
export class BankCsvWriter {
  private readonly totals: StreamedTotals;

  constructor(private readonly header: CreditTransferFileHeader) {
    checkHeader(header);
    this.totals = new StreamedTotals(header);
  }

  open(): string {
    return csvRow(BANK_CSV_COLUMNS);
  }

  transaction(transfer: CreditTransfer): string {
    checkTransfer(transfer);
    this.totals.add(transfer.amount, transfer.endToEndId);
    const { header } = this;
    return csvRow([
      transfer.endToEndId,
      header.paymentInfoId,
      header.debtor.accountNumber,
      transfer.creditor.name,
      transfer.bankCode,
      transfer.creditor.bic,
      transfer.creditor.accountNumber,
      transfer.amount,
      header.currency,
      'DEBT',
      'SSBE',
      header.requestedExecutionDate,
      header.remittanceInformation,
    ]);
  }

  close(): string {
    this.totals.assertComplete();
    return '';
  }
}

export type { CreditTransfer, CreditTransferFileHeader };
