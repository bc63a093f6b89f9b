import { deterministicId, eventRegistry, type DomainEvent } from '@salur/kernel';
import { EXCEPTION_REASONS } from './bank-file.events';

/**
 * The exception queue (DESIGN.md, step 7): each line of a bank file that did not reconcile, and
 * each short credit, is an item an operator assigns and resolves. The item is raised by the fact
 * that found it (BankResultException in the file's stream, or PaymentCredited with a deduction
 * in the payment's stream); what happens to it afterwards is in the item's own stream.
 *
 * Why a stream per item rather than appending to the file's stream: the file's stream is closed
 * by BankFileIngested (a second ingestion finds it there and stops), it can hold thousands of
 * events that every command would have to fold, and two operators working two items of one file
 * would race on one revision. An item's stream holds only its own few events.
 */
export const BANK_EXCEPTION_REASONS = [...EXCEPTION_REASONS, 'SHORT_CREDIT'] as const;
export type BankExceptionReason = (typeof BANK_EXCEPTION_REASONS)[number];

export const BANK_EXCEPTION_STATUSES = ['open', 'assigned', 'resolved'] as const;
export type BankExceptionStatus = (typeof BANK_EXCEPTION_STATUSES)[number];

/** Namespace of exception ids (fixed forever: changing it would change every item's id). */
export const BANK_EXCEPTION_NAMESPACE = '2c9f4e71-8a3b-5d06-b7e2-4f1a9c8d3e25';

/**
 * An item's id: derived from its file and line, so ingesting the same file again (or resuming a
 * crashed ingestion) names the same items and adds none.
 */
export function bankExceptionIdOf(sha256: string, line: number): string {
  return deterministicId(BANK_EXCEPTION_NAMESPACE, `${sha256}/${line}`);
}

/**
 * The id of a short credit recorded before credits named their file line (a ledger written
 * before the queue existed): derived from the payment, its batch and the bank's reference.
 */
export function legacyShortCreditIdOf(paymentId: string, batchId: string, bankReference: string): string {
  return deterministicId(BANK_EXCEPTION_NAMESPACE, `short-credit/${paymentId}/${batchId}/${bankReference}`);
}

export function bankExceptionStreamName(exceptionId: string): string {
  return `bank-exception-${exceptionId}`;
}

/** What an item is about, repeated on its events so the audit trail files them under the payment and batch. */
export interface BankExceptionSubject {
  /** The file it came from; null for a short credit recorded before credits named their file. */
  readonly sha256: string | null;
  readonly line: number | null;
  readonly paymentId: string | null;
  readonly batchId: string | null;
}

export type BankResultExceptionAssigned = DomainEvent<
  'BankResultExceptionAssigned',
  BankExceptionSubject & {
    exceptionId: string;
    assigneeId: string;
    assignedBy: string;
    at: string;
  }
>;

export type BankResultExceptionResolved = DomainEvent<
  'BankResultExceptionResolved',
  BankExceptionSubject & {
    exceptionId: string;
    /** Why the item needs nothing more: what was found and done, in the operator's words. */
    reason: string;
    resolvedBy: string;
    at: string;
  }
>;

export type BankExceptionEvent = BankResultExceptionAssigned | BankResultExceptionResolved;

/** Every exception-item event type, for readers of the log (see toDomainEvent). */
export const BANK_EXCEPTION_EVENTS = eventRegistry<BankExceptionEvent>({
  BankResultExceptionAssigned: true,
  BankResultExceptionResolved: true,
});
