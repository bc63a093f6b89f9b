/**
 * One line of a bank result, whatever file it came from (pain.002, camt.054 or the bank's CSV).
 * Every value is the string the file held: amounts and account numbers are never numbers.
 */
export type BankResultOutcome = 'credited' | 'rejected' | 'returned' | 'pending' | 'accepted' | 'unrecognised';

export interface BankResultLine {
  /** 1-based position of the line in its file. */
  readonly line: number;
  readonly endToEndId: string;
  readonly outcome: BankResultOutcome;
  readonly amount?: string;
  readonly currency?: string;
  /** The creditor account the bank names, when it names one. */
  readonly account?: string;
  /** ISO 20022 reason (AC01, AC04, AC06, MD07, BE01…) of a rejection or a return. */
  readonly reasonCode?: string;
  /** The bank's own reference of the transaction (AcctSvcrRef), or the best id the file offers. */
  readonly bankReference: string;
  /** YYYY-MM-DD. */
  readonly valueDate?: string;
  /** camt.054 `Ntry/NtryRef`, when the entry has one. */
  readonly entryReference?: string;
  /** The bank's own transaction reference as the file wrote it (`AcctSvcrRef`, the CSV's `bank_reference`); no stand-in. */
  readonly accountServicerReference?: string;
  /** camt.054 `Ntry/BookgDt` as written (a date or a date-time), when the entry has one. */
  readonly bookingDate?: string;
  /** The PmtInfId the line refers to: the batch id without hyphens. */
  readonly paymentInfoId?: string;
  /** The raw status the file gave (TxSts, entry status), for the exception list. */
  readonly status?: string;
}

export type BankResultFormat = 'pain.002.001.10' | 'camt.054.001.08' | 'csv';

/** Trims an ISO date-time to its date; leaves a date as it is. */
export function dateOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d{4}-\d{2}-\d{2})/.exec(value);
  return match ? match[1] : undefined;
}
