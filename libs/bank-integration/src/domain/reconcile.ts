import { amountOf, type CommandContext, DomainError, formatAmount } from '@salur/kernel';
import type {
  BankCreditEvidence,
  PaymentEvent,
  PaymentState,
  RecordCredit,
  RecordRejection,
  RecordReturn,
} from '@salur/payments/domain';
import { paymentDecider } from '@salur/payments/domain';
import type { ExceptionReason } from './bank-file.events';
import type { BankResultFormat, BankResultLine } from './bank-result-line';
import { idOfCompact } from './end-to-end-id';

/** A payment as reconciliation needs it: its state and the bank outcomes already on its stream. */
export interface PaymentHistory {
  readonly state: PaymentState;
  readonly credits: ReadonlyArray<{ readonly batchId: string; readonly bankReference: string }>;
  readonly rejections: ReadonlyArray<{ readonly batchId: string }>;
  readonly returns: ReadonlyArray<{ readonly batchId: string; readonly bankReference: string }>;
}

export const EMPTY_HISTORY: PaymentHistory = {
  state: paymentDecider.initialState,
  credits: [],
  rejections: [],
  returns: [],
};

/** Folds a payment's events into the history reconciliation reads. */
export function evolveHistory(history: PaymentHistory, event: PaymentEvent): PaymentHistory {
  const state = paymentDecider.evolve(history.state, event);
  switch (event.type) {
    case 'PaymentCredited':
      return { ...history, state, credits: [...history.credits, event.data] };
    case 'PaymentRejected':
      return { ...history, state, rejections: [...history.rejections, event.data] };
    case 'PaymentReturned':
      return { ...history, state, returns: [...history.returns, event.data] };
    default:
      // Most events leave the bank outcomes alone: the lists are shared, not copied.
      return { state, credits: history.credits, rejections: history.rejections, returns: history.returns };
  }
}

export type Reconciliation =
  | { readonly kind: 'apply'; readonly command: RecordCredit | RecordRejection | RecordReturn }
  | { readonly kind: 'already-applied' }
  | { readonly kind: 'acknowledged' }
  | { readonly kind: 'pending' }
  | { readonly kind: 'exception'; readonly reason: ExceptionReason; readonly detail: string };

/** The result file a line came from: a credit names it in its evidence. */
export interface BankResultFileRef {
  readonly sha256: string;
  readonly format: BankResultFormat;
}

/** What one line does to its payment once the payment's decider had its say. */
export type LineSettlement =
  | { readonly kind: 'applied'; readonly events: readonly PaymentEvent[] }
  | { readonly kind: 'alreadyApplied' | 'acknowledged' | 'pending' }
  | { readonly kind: 'exception'; readonly reason: ExceptionReason; readonly detail: string };

/**
 * Reconciles a line and runs its command through the payment's decider: the new facts to append,
 * nothing, or an exception. A refusal by the decider is an exception of the line, never an error
 * of the file: one bad line must not keep the good ones from being applied.
 */
export function settleLine(
  line: BankResultLine,
  history: PaymentHistory,
  context: CommandContext,
  file?: BankResultFileRef,
): LineSettlement {
  const decision = reconcile(line, history, context, file);
  switch (decision.kind) {
    case 'already-applied':
      return { kind: 'alreadyApplied' };
    case 'acknowledged':
    case 'pending':
    case 'exception':
      return decision;
    case 'apply':
      try {
        const events = paymentDecider.decide(decision.command, history.state);
        return events.length === 0 ? { kind: 'alreadyApplied' } : { kind: 'applied', events };
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        return { kind: 'exception', reason: 'INVALID_LINE', detail: `${error.code}: ${error.message}` };
      }
  }
}

/** The payment id a line names, or undefined when its EndToEndId is not one of ours. */
export function paymentIdOfLine(line: Pick<BankResultLine, 'endToEndId'>): string | undefined {
  return idOfCompact(line.endToEndId);
}

const CURRENCY = 'IDR';
const BANK_REFERENCE = /^[\x21-\x7e]{1,35}$/;

/**
 * What one bank result line means for its payment: a command to record, nothing (already
 * recorded, an acknowledgement, a pending status), or an exception with its reason. Pure: the
 * caller loads the payment's history and runs the command through the payment's decider,
 * which has the last word (a short credit is recorded with its deduction and flagged there).
 * A line is checked against the payment's amount, currency and the account it was sent to.
 * Given its file, a credit carries the line's own references as evidence (bankCreditEvidenceOf).
 */
export function reconcile(
  line: BankResultLine,
  history: PaymentHistory,
  context: CommandContext,
  file?: BankResultFileRef,
): Reconciliation {
  const exception = (reason: ExceptionReason, detail: string): Reconciliation => ({
    kind: 'exception',
    reason,
    detail,
  });
  const { state } = history;
  if (line.outcome === 'unrecognised') {
    return exception('UNRECOGNISED_LINE', `Status '${line.status ?? ''}' is not one Salur acts on`);
  }
  if (paymentIdOfLine(line) === undefined || state.status === 'absent') {
    return exception('UNKNOWN_REFERENCE', `No payment has EndToEndId '${line.endToEndId}'`);
  }
  // Before any check: an outcome the ledger already holds is a retry, even if the payment moved on since.
  if (alreadyApplied(line, history)) return { kind: 'already-applied' };
  if (line.currency !== undefined && line.currency !== CURRENCY) {
    return exception('CURRENCY_DIFFERS', `The bank reports ${line.currency}; the payment is in ${CURRENCY}`);
  }
  if (line.account !== undefined && state.account && line.account !== state.account.accountNumber) {
    return exception('ACCOUNT_DIFFERS', 'The bank names another creditor account than the one the payment was sent to');
  }
  const amount = line.amount === undefined ? undefined : canonical(line.amount);
  if (line.amount !== undefined && amount === undefined) {
    return exception('INVALID_LINE', `The amount '${line.amount}' is not a decimal amount`);
  }
  switch (line.outcome) {
    case 'accepted':
      return { kind: 'acknowledged' };
    case 'pending':
      return awaitingAnswer(state) ? { kind: 'pending' } : { kind: 'acknowledged' };
    case 'credited':
      return credited(line, history, amount, context, exception, file);
    case 'rejected':
      return rejected(line, history, amount, context, exception);
    case 'returned':
      return returned(line, history, amount, context, exception);
  }
}

type Raise = (reason: ExceptionReason, detail: string) => Reconciliation;

function credited(
  line: BankResultLine,
  { state, credits }: PaymentHistory,
  amount: string | undefined,
  context: CommandContext,
  raise: Raise,
  file: BankResultFileRef | undefined,
): Reconciliation {
  if (state.status === 'absent') return raise('UNKNOWN_REFERENCE', 'No such payment');
  if (amount === undefined || line.amount === undefined) return raise('INVALID_LINE', 'A credit without an amount');
  if (amountOf(amount).greaterThan(amountOf(state.amount))) {
    return raise('AMOUNT_DIFFERS', `Credited ${amount} is more than the approved ${state.amount}`);
  }
  if (state.status === 'credited' && state.decidedBy !== undefined) {
    return raise(
      'DUPLICATE',
      `Two officers already decided the payment was credited (confirmed by ${state.decidedBy})`,
    );
  }
  if (state.status === 'credited' || credits.some((credit) => credit.batchId === batchOf(state))) {
    return raise('DUPLICATE', `The payment was already credited under reference ${credits.at(-1)?.bankReference}`);
  }
  if (!awaitingAnswer(state)) return raise('UNEXPECTED_STATE', `A credit for a ${state.status} payment`);
  if (line.valueDate === undefined) return raise('INVALID_LINE', 'A credit without a value date');
  return {
    kind: 'apply',
    command: {
      type: 'RecordCredit',
      data: {
        paymentId: state.paymentId,
        batchId: state.batchId,
        creditedAmount: amount,
        bankReference: line.bankReference,
        valueDate: line.valueDate,
        ...(file === undefined ? {} : { bankEvidence: bankCreditEvidenceOf(line, line.amount, file) }),
      },
      context,
    },
  };
}

/**
 * The line's own words, kept as the bank wrote them (the amount unformatted, no stand-in
 * reference): what a statement from the bank will be matched against.
 */
export function bankCreditEvidenceOf(
  line: BankResultLine,
  amount: string,
  file: BankResultFileRef,
): BankCreditEvidence {
  return {
    fileSha256: file.sha256,
    fileFormat: file.format,
    fileLine: line.line,
    endToEndId: line.endToEndId,
    entryReference: line.entryReference ?? null,
    accountServicerReference: line.accountServicerReference ?? null,
    bookingDate: line.bookingDate ?? null,
    amount,
    currency: line.currency ?? null,
  };
}

function rejected(
  line: BankResultLine,
  { state }: PaymentHistory,
  amount: string | undefined,
  context: CommandContext,
  raise: Raise,
): Reconciliation {
  if (state.status === 'absent') return raise('UNKNOWN_REFERENCE', 'No such payment');
  const batchId = batchOfLine(line, state);
  if (amount !== undefined && amount !== state.amount) {
    return raise('AMOUNT_DIFFERS', `The bank rejected ${amount}; the payment is ${state.amount}`);
  }
  if (!awaitingAnswer(state)) return raise('UNEXPECTED_STATE', `A rejection of a ${state.status} payment`);
  if (batchId !== undefined && batchId !== state.batchId) {
    return raise('UNEXPECTED_STATE', 'The rejection names another batch than the one the payment was sent in');
  }
  return {
    kind: 'apply',
    command: {
      type: 'RecordRejection',
      data: {
        paymentId: state.paymentId,
        batchId: state.batchId,
        reasonCode: line.reasonCode ?? 'NARR',
        ...(BANK_REFERENCE.test(line.bankReference) ? { bankReference: line.bankReference } : {}),
      },
      context,
    },
  };
}

function returned(
  line: BankResultLine,
  { state }: PaymentHistory,
  amount: string | undefined,
  context: CommandContext,
  raise: Raise,
): Reconciliation {
  if (state.status === 'absent') return raise('UNKNOWN_REFERENCE', 'No such payment');
  if (state.status !== 'credited') return raise('UNEXPECTED_STATE', `A return of a ${state.status} payment`);
  if (amount === undefined) return raise('INVALID_LINE', 'A return without an amount');
  if (amount !== state.creditedAmount) {
    return raise('AMOUNT_DIFFERS', `Returned ${amount}; ${state.creditedAmount} was credited`);
  }
  return {
    kind: 'apply',
    command: {
      type: 'RecordReturn',
      data: {
        paymentId: state.paymentId,
        batchId: state.batchId,
        reasonCode: line.reasonCode ?? 'NARR',
        returnedAmount: amount,
        bankReference: line.bankReference,
      },
      context,
    },
  };
}

function alreadyApplied(line: BankResultLine, { state, credits, rejections, returns }: PaymentHistory): boolean {
  switch (line.outcome) {
    case 'credited':
      return credits.some((credit) => sameBooking(credit, line, state));
    case 'returned':
      return returns.some((earlier) => sameBooking(earlier, line, state));
    case 'rejected': {
      const batchId = batchOfLine(line, state);
      return batchId !== undefined && rejections.some((rejection) => rejection.batchId === batchId);
    }
    default:
      return false;
  }
}

/** The bank's reference, in the batch the line names (a reference may come back in a later batch). */
function sameBooking(
  earlier: { readonly batchId: string; readonly bankReference: string },
  line: BankResultLine,
  state: PaymentState,
): boolean {
  if (earlier.bankReference !== line.bankReference) return false;
  const batchId = line.paymentInfoId === undefined ? undefined : batchOfLine(line, state);
  return batchId === undefined || earlier.batchId === batchId;
}

/**
 * The batch an exception of this line counts against: the one its PmtInfId names, else the one
 * its payment was in when the line was read; null when the line names no batch and no payment of ours.
 */
export function batchOfExceptionLine(line: BankResultLine, history: PaymentHistory): string | null {
  const named = line.paymentInfoId === undefined ? undefined : idOfCompact(line.paymentInfoId);
  return named ?? batchOf(history.state) ?? null;
}

/** The batch a line refers to: its PmtInfId, or the payment's current batch when the file names none. */
function batchOfLine(line: BankResultLine, state: PaymentState): string | undefined {
  return line.paymentInfoId === undefined ? batchOf(state) : idOfCompact(line.paymentInfoId);
}

/** Sent and not answered: an unknown outcome still waits for the bank's answer, which settles it. */
function awaitingAnswer(state: PaymentState): state is Extract<PaymentState, { status: 'sent' | 'outcome-unknown' }> {
  return state.status === 'sent' || state.status === 'outcome-unknown';
}

function batchOf(state: PaymentState): string | undefined {
  return 'batchId' in state ? state.batchId : undefined;
}

function canonical(text: string): string | undefined {
  if (!/^(0|[1-9][0-9]{0,14})(\.[0-9]{1,5})?$/.test(text)) return undefined;
  const amount = amountOf(text);
  return amount.decimalPlaces() > 2 ? undefined : formatAmount(amount);
}
