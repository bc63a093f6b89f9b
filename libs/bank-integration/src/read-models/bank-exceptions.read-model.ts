import type { RecordedEvent } from '@salur/event-store';
import { storedEventOf, storedText } from '@salur/personal-data';
import { instantOf, type Lookup, readModel } from '@salur/projections';
import { bankExceptionIdOf, bankFileLineOf, exceptionBatchIdOf, isShortCredit, legacyShortCreditIdOf } from '../domain';
import {
  BANK_EXCEPTIONS_TABLES,
  BankExceptionCountKind,
  BankExceptionCountRow,
  BankExceptionPaymentRow,
  BankExceptionRow,
  countRowIdOf,
} from './bank-exceptions.tables';
import { bankExceptionEvent, bankFileEvent, paymentEvent } from './event-guards';

const { payments: PAYMENTS, items: ITEMS } = BANK_EXCEPTIONS_TABLES;
/** Digits of a zero-padded line number: text order is line order up to 10^10 lines. */
const LINE_DIGITS = 10;

/** Payment → the batch of its latest attempt. */
export const bankExceptionPaymentsReadModel = readModel<BankExceptionPaymentRow>({
  table: PAYMENTS,
  rowIdsOf(recorded) {
    const event = paymentEvent(recorded);
    return event?.type === 'PaymentBatched' ? [event.data.paymentId] : [];
  },
  evolve(row, recorded, id) {
    const event = paymentEvent(recorded);
    if (event?.type !== 'PaymentBatched') return row;
    return row?.batchId === event.data.batchId ? row : { id, batchId: event.data.batchId };
  },
});

/**
 * The item an event raises or changes: a reconciliation exception of a file line, a short credit
 * (of the file line that recorded it, or, recorded before credits named their line, of the
 * payment and the bank's reference), or the assignment or resolution of an item.
 */
export function bankExceptionItemIdOf(recorded: RecordedEvent): string | undefined {
  const file = bankFileEvent(recorded);
  if (file?.type === 'BankResultException') return bankExceptionIdOf(file.data.sha256, file.data.line);
  const item = bankExceptionEvent(recorded);
  if (item !== undefined) return item.data.exceptionId;
  const payment = paymentEvent(recorded);
  if (payment?.type !== 'PaymentCredited' || !isShortCredit(payment.data)) return undefined;
  const source = bankFileLineOf(recorded.metadata);
  return source === undefined
    ? legacyShortCreditIdOf(payment.data.paymentId, payment.data.batchId, payment.data.bankReference)
    : bankExceptionIdOf(source.sha256, source.line);
}

export const bankExceptionItemsReadModel = readModel<BankExceptionRow>({
  table: ITEMS,
  lookups: [PAYMENTS],
  rowIdsOf(recorded) {
    const id = bankExceptionItemIdOf(recorded);
    return id === undefined ? [] : [id];
  },
  evolve(row, recorded, id, lookup) {
    // Personal fields are read as stored (sealed), never from the opened data.
    const item = bankExceptionEvent(storedEventOf(recorded));
    if (item !== undefined) {
      // An assignment or resolution of an item this queue never raised changes nothing.
      if (row === undefined) return row;
      const updatedAt = instantOf(recorded);
      switch (item.type) {
        case 'BankResultExceptionAssigned': {
          const { assigneeId, assignedBy, at } = item.data;
          return { ...row, status: 'assigned', assigneeId, assignedBy, assignedAt: at, updatedAt };
        }
        case 'BankResultExceptionResolved': {
          const { reason, resolvedBy, at } = item.data;
          const sealedResolution = storedText(reason);
          return { ...row, status: 'resolved', resolvedBy, resolvedAt: at, sealedResolution, updatedAt };
        }
        default:
          return row;
      }
    }
    // Raised once: a replayed or repeated raising fact keeps the item as it stands.
    if (row !== undefined) return row;
    return raisedItem(recorded, id, lookup);
  },
});

function raisedItem(recorded: RecordedEvent, id: string, lookup: Lookup): BankExceptionRow | undefined {
  const base = {
    id,
    status: 'open' as const,
    assigneeId: null,
    assignedBy: null,
    assignedAt: null,
    resolvedBy: null,
    resolvedAt: null,
    sealedResolution: null,
    updatedAt: instantOf(recorded),
  };
  const file = bankFileEvent(storedEventOf(recorded));
  if (file?.type === 'BankResultException') {
    const { data } = file;
    const batchOfPayment = (paymentId: string) => lookup.row<BankExceptionPaymentRow>(PAYMENTS, paymentId)?.batchId;
    return {
      ...base,
      queueOrder: queueOrderOf(data.at, data.sha256, data.line),
      reason: data.reason,
      sha256: data.sha256,
      line: data.line,
      paymentId: data.paymentId,
      batchId: exceptionBatchIdOf(data, batchOfPayment),
      endToEndId: data.endToEndId,
      outcome: data.outcome,
      detail: data.detail,
      amount: data.amount,
      sealedAccountNumber: storedText(data.accountNumber),
      bankReference: data.bankReference,
      raisedAt: data.at,
    };
  }
  const payment = paymentEvent(recorded);
  if (payment?.type !== 'PaymentCredited') return undefined;
  const { paymentId, batchId, approvedAmount, creditedAmount, deductedAmount, bankReference, at } = payment.data;
  const source = bankFileLineOf(recorded.metadata);
  return {
    ...base,
    queueOrder: queueOrderOf(at, source?.sha256 ?? null, source?.line ?? null),
    reason: 'SHORT_CREDIT',
    sha256: source?.sha256 ?? null,
    line: source?.line ?? null,
    paymentId,
    batchId,
    endToEndId: paymentId.replace(/-/g, ''),
    outcome: 'credited',
    detail: `Credited ${creditedAmount} of the approved ${approvedAmount}: ${deductedAmount} was deducted`,
    amount: creditedAmount,
    sealedAccountNumber: null,
    bankReference,
    raisedAt: at,
  };
}

/**
 * The list's order: oldest first, and a file's items in line order (an ingestion raises the items
 * of one file at one instant, in whatever order its chunks settle). Immutable, like the fact.
 */
function queueOrderOf(raisedAt: string, sha256: string | null, line: number | null): string {
  return `${raisedAt} ${sha256 ?? '-'} ${String(line ?? 0).padStart(LINE_DIGITS, '0')}`;
}

type StatusCount = BankExceptionRow['status'];

/** Items per batch and per file, by status: moved by the item's status just before and after each event. */
export const bankExceptionCountsReadModel = readModel<BankExceptionCountRow>({
  table: BANK_EXCEPTIONS_TABLES.counts,
  lookups: [ITEMS],
  rowIdsOf(recorded, lookup) {
    const itemId = bankExceptionItemIdOf(recorded);
    const item = itemId === undefined ? undefined : lookup.row<BankExceptionRow>(ITEMS, itemId);
    if (item === undefined) return [];
    return [
      ...(item.batchId === null ? [] : [countRowIdOf('batch', item.batchId)]),
      ...(item.sha256 === null ? [] : [countRowIdOf('file', item.sha256)]),
    ];
  },
  evolve(row, recorded, id, lookup) {
    const itemId = bankExceptionItemIdOf(recorded);
    if (itemId === undefined) return row;
    const before = lookup.before<BankExceptionRow>(ITEMS, itemId);
    const after = lookup.row<BankExceptionRow>(ITEMS, itemId);
    if (after === undefined || before?.status === after.status) return row;
    const [kind, key] = splitCountId(id);
    const counts = row ?? { id, kind, key, total: 0, open: 0, assigned: 0, resolved: 0, shortCredits: 0 };
    const moved: Record<StatusCount, number> = {
      open: counts.open,
      assigned: counts.assigned,
      resolved: counts.resolved,
    };
    if (before !== undefined) moved[before.status]--;
    moved[after.status]++;
    const raised = before === undefined;
    return {
      ...counts,
      ...moved,
      total: counts.total + (raised ? 1 : 0),
      shortCredits: counts.shortCredits + (raised && after.reason === 'SHORT_CREDIT' ? 1 : 0),
    };
  },
});

function splitCountId(id: string): [BankExceptionCountKind, string] {
  const slash = id.indexOf('/');
  return [id.slice(0, slash) as BankExceptionCountKind, id.slice(slash + 1)];
}
