import { eventRegistry, type DomainEvent } from '@salur/kernel';
import type { BankResultFormat, BankResultOutcome } from './bank-result-line';

/** Why a bank result line was not applied to its payment. */
export const EXCEPTION_REASONS = [
  'UNKNOWN_REFERENCE',
  'AMOUNT_DIFFERS',
  'ACCOUNT_DIFFERS',
  'CURRENCY_DIFFERS',
  'DUPLICATE',
  'CONFLICTING_STATUS',
  'UNEXPECTED_STATE',
  'UNRECOGNISED_LINE',
  'INVALID_LINE',
] as const;
export type ExceptionReason = (typeof EXCEPTION_REASONS)[number];

/** A line of an ingested bank file that goes to the reconciliation exception list. */
export type BankResultException = DomainEvent<
  'BankResultException',
  {
    sha256: string;
    line: number;
    endToEndId: string;
    /** The payment the EndToEndId names, when it names one of ours. */
    paymentId: string | null;
    outcome: BankResultOutcome;
    reason: ExceptionReason;
    detail: string;
    amount: string | null;
    bankReference: string;
    /**
     * The batch the line named (PmtInfId) or its payment was in when reconciled; null when
     * neither is known. Absent on exceptions recorded before the exception queue existed.
     */
    batchId?: string | null;
    /** The creditor account the line named, if any (masked for roles that do not need it). */
    accountNumber?: string | null;
    at: string;
  }
>;

/** An ingested bank file: the last event of its stream, which exists only once per file. */
export type BankFileIngested = DomainEvent<
  'BankFileIngested',
  {
    sha256: string;
    fileName: string;
    format: BankResultFormat;
    lines: number;
    /** Lines that changed a payment now. */
    applied: number;
    /** Lines whose outcome the ledger already held (the same result in an earlier file). */
    alreadyApplied: number;
    /** Acknowledgements and pending statuses: nothing to record on the payment. */
    acknowledged: number;
    pending: number;
    exceptions: number;
    credited: number;
    shortCredits: number;
    rejected: number;
    returned: number;
    ingestedBy: string;
    at: string;
  }
>;

export type BankFileEvent = BankResultException | BankFileIngested;

/** One stream per ingested file, named by the file's SHA-256: a file is ingested once. */
export function bankFileStreamName(sha256: string): string {
  return `bank-file-${sha256}`;
}

/** Every bankfile event type, for readers of the log (see toDomainEvent). */
export const BANK_FILE_EVENTS = eventRegistry<BankFileEvent>({
  BankResultException: true,
  BankFileIngested: true,
});
