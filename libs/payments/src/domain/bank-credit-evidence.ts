import { type Amount, amountOf, invalid } from '@salur/kernel';

/**
 * The bank's own word for a credit, copied as data from the result file line that reported it,
 * so that a statement the inspector obtains from the bank can be matched against the ledger
 * (`salur-verify statement`) without trusting the ledger's own figures. Only ingestion of a bank
 * file fills it; a credit decided by two officers has none, and says so by its absence.
 */
export interface BankCreditEvidence {
  /** SHA-256 (hex) of the result file the credit came from: `bank-file-<sha256>` in the ledger. */
  readonly fileSha256: string;
  /** The file's format, e.g. `camt.054.001.08` or `csv`. */
  readonly fileFormat: string;
  /** 1-based position of the line (camt.054 TxDtls, CSV row) in that file. */
  readonly fileLine: number;
  /** The EndToEndId the line named, by which it was matched to this payment. */
  readonly endToEndId: string;
  /** camt.054 `Ntry/NtryRef`; null when the file gave none (the CSV has no such column). */
  readonly entryReference: string | null;
  /** The bank's transaction reference: `TxDtls/Refs/AcctSvcrRef`, else `Ntry/AcctSvcrRef`; the CSV's `bank_reference`. */
  readonly accountServicerReference: string | null;
  /** camt.054 `Ntry/BookgDt` as written (a date or a date-time); null when the file gave none. */
  readonly bookingDate: string | null;
  /** The amount exactly as the bank wrote it ("600000", "600000.00"): not re-formatted. */
  readonly amount: string;
  /** The currency the bank stated with the amount (`Amt@Ccy`, the CSV's `currency`); null when it stated none. */
  readonly currency: string | null;
}

const SHA256 = /^[0-9a-f]{64}$/;
/** Max35Text and the like, printable, as ISO 20022 references are; a little room for other formats. */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const REFERENCE = /^[^\u0000-\u001f\u007f]{1,64}$/;
const BANK_AMOUNT = /^[0-9]{1,18}(\.[0-9]{1,5})?$/;
const CURRENCY = /^[A-Z]{3}$/;
const DATE_OR_DATE_TIME = /^\d{4}-\d{2}-\d{2}([T ][0-9:.]{5,18}(Z|[+-]\d{2}:\d{2})?)?$/;
const MAX_FILE_LINE = 100_000_000;

/**
 * The evidence as the event records it: exactly these fields, whatever else the command carried.
 * Refuses evidence that could not have come from a bank file (a bug of the caller, reported as a
 * bad command), and evidence whose amount is not the amount credited: the credit's figure must be
 * the bank's, decimal for decimal.
 */
export function checkedBankCreditEvidence(evidence: BankCreditEvidence, credited: Amount): BankCreditEvidence {
  const bad = (what: string) =>
    invalid('INVALID_BANK_EVIDENCE', `bankEvidence.${what} is not what a bank file holds`, 'bankEvidence');
  if (!SHA256.test(evidence.fileSha256)) throw bad('fileSha256');
  if (!REFERENCE.test(evidence.fileFormat)) throw bad('fileFormat');
  if (!Number.isSafeInteger(evidence.fileLine) || evidence.fileLine < 1 || evidence.fileLine > MAX_FILE_LINE)
    throw bad('fileLine');
  if (!REFERENCE.test(evidence.endToEndId)) throw bad('endToEndId');
  for (const field of ['entryReference', 'accountServicerReference'] as const) {
    const value = evidence[field];
    if (value !== null && !REFERENCE.test(value)) throw bad(field);
  }
  if (evidence.bookingDate !== null && !DATE_OR_DATE_TIME.test(evidence.bookingDate)) throw bad('bookingDate');
  if (evidence.currency !== null && !CURRENCY.test(evidence.currency)) throw bad('currency');
  if (!BANK_AMOUNT.test(evidence.amount)) throw bad('amount');
  if (!amountOf(evidence.amount).equals(credited)) {
    throw invalid(
      'BANK_EVIDENCE_AMOUNT_DIFFERS',
      `The bank stated ${evidence.amount}; the credit records another amount`,
      'bankEvidence',
    );
  }
  return {
    fileSha256: evidence.fileSha256,
    fileFormat: evidence.fileFormat,
    fileLine: evidence.fileLine,
    endToEndId: evidence.endToEndId,
    entryReference: evidence.entryReference,
    accountServicerReference: evidence.accountServicerReference,
    bookingDate: evidence.bookingDate,
    amount: evidence.amount,
    currency: evidence.currency,
  };
}
