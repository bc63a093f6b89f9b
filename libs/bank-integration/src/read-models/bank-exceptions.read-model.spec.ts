import { batchViewsProjection, type BatchViewRow } from '@salur/batches';
import type { RecordedEvent } from '@salur/event-store';
import type { DomainEvent } from '@salur/kernel';
import { projectInMemory } from '@salur/projections';
import { facts, recordedEvents } from '@salur/projections/testing';
import {
  BANK_FILE_LINE_METADATA,
  bankExceptionIdOf,
  type BankResultException,
  type BankResultExceptionAssigned,
  type BankResultExceptionResolved,
  legacyShortCreditIdOf,
} from '../domain';
import { bankExceptionsProjection } from './bank-exceptions.projection';
import type { BankExceptionCountRow, BankExceptionRow } from './bank-exceptions.tables';

const FILE = 'f'.repeat(64);
const OTHER_FILE = 'e'.repeat(64);
const at = '2026-11-28T09:00:00.000Z';

/** Events as recorded, each with the metadata given (an ingestion names the file line of its payment events). */
function recorded(events: ReadonlyArray<DomainEvent | [DomainEvent, Record<string, unknown>]>): RecordedEvent[] {
  const plain = events.map((event) => (Array.isArray(event) ? event[0] : event));
  return recordedEvents(plain).map((event, index) => {
    const entry = events[index];
    return Array.isArray(entry) ? { ...event, metadata: entry[1] } : event;
  });
}

const fromLine = (line: number, sha256 = FILE) => ({ [BANK_FILE_LINE_METADATA]: { sha256, line } });

function exception(
  line: number,
  fields: Partial<BankResultException['data']> = {},
  sha256 = FILE,
): BankResultException {
  return {
    type: 'BankResultException',
    data: {
      sha256,
      line,
      endToEndId: `e2e-${line}`,
      paymentId: null,
      outcome: 'credited',
      reason: 'UNKNOWN_REFERENCE',
      detail: 'No payment has this EndToEndId',
      amount: '600000.00',
      bankReference: `ref-${line}`,
      at,
      ...fields,
    },
  };
}

const assigned = (exceptionId: string, assigneeId: string): BankResultExceptionAssigned => ({
  type: 'BankResultExceptionAssigned',
  data: {
    exceptionId,
    sha256: FILE,
    line: null,
    paymentId: null,
    batchId: null,
    assigneeId,
    assignedBy: 'lead',
    at,
  },
});
const resolved = (exceptionId: string, reason: string): BankResultExceptionResolved => ({
  type: 'BankResultExceptionResolved',
  data: { exceptionId, sha256: FILE, line: null, paymentId: null, batchId: null, reason, resolvedBy: 'op-1', at },
});

function project(events: ReadonlyArray<DomainEvent | [DomainEvent, Record<string, unknown>]>) {
  const log = recorded(events);
  const tables = projectInMemory(bankExceptionsProjection, log);
  const rows = <Row>(table: string) => [...(tables.get(table)?.values() ?? [])].map((stored) => stored.row as Row);
  const items = new Map(rows<BankExceptionRow>('bankExceptionsItems').map((row) => [row.id, row]));
  const counts = new Map(rows<BankExceptionCountRow>('bankExceptionsCounts').map((row) => [row.id, row]));
  const views = projectInMemory(batchViewsProjection, log).get('batchViewsBatches');
  const batchViews = new Map([...(views?.values() ?? [])].map(({ row }) => [row.id, row as BatchViewRow]));
  return { items, counts, batchViews };
}

describe('the exception queue', () => {
  // Batch 1: payments 1..4 sent. Payment 4 was rejected in batch 1 and reissued into batch 2.
  const round = [
    ...[1, 2, 3, 4].map((n) => facts.scheduled(`pay-${n}`, `b-${n}`)),
    ...[1, 2, 3, 4].map((n) => facts.batched(`pay-${n}`, 'batch-1')),
    facts.batchCreated('batch-1', 4),
    facts.batchCreated('batch-2', 1),
    ...[1, 2, 3, 4].map((n) => facts.sent(`pay-${n}`, 'batch-1')),
  ];

  it('raises an item per bad line and per short credit, each counted against its batch and its file', () => {
    const { items, counts, batchViews } = project([
      ...round,
      // A line of an unknown payment that names batch 1 (its PmtInfId): counted there.
      exception(2, { paymentId: '00000000-0000-4000-8000-000000000000', batchId: 'batch-1' }),
      // A line naming neither a batch nor a payment of ours: its file only.
      exception(3),
      // A duplicate of payment 1 recorded before exceptions named their batch: the payment's batch.
      exception(4, { paymentId: 'pay-1', reason: 'DUPLICATE' }),
      // A short credit recorded by line 5 of the file: an item of that line, in the same append as the credit.
      [facts.credited('pay-2', 'batch-1', '597500.00'), fromLine(5)],
      facts.credited('pay-3', 'batch-1'),
      // A short credit recorded before credits named their line (a ledger older than the queue).
      facts.credited('pay-4', 'batch-1', '590000.00'),
    ]);

    expect(items.get(bankExceptionIdOf(FILE, 2))).toMatchObject({
      reason: 'UNKNOWN_REFERENCE',
      status: 'open',
      sha256: FILE,
      line: 2,
      batchId: 'batch-1',
      assigneeId: null,
    });
    expect(items.get(bankExceptionIdOf(FILE, 3))).toMatchObject({ batchId: null, sha256: FILE });
    expect(items.get(bankExceptionIdOf(FILE, 4))).toMatchObject({ reason: 'DUPLICATE', batchId: 'batch-1' });
    expect(items.get(bankExceptionIdOf(FILE, 5))).toMatchObject({
      reason: 'SHORT_CREDIT',
      sha256: FILE,
      line: 5,
      paymentId: 'pay-2',
      batchId: 'batch-1',
      amount: '597500.00',
      bankReference: 'ref-pay-2',
      detail: 'Credited 597500.00 of the approved 600000.00: 2500.00 was deducted',
    });
    expect(items.get(legacyShortCreditIdOf('pay-4', 'batch-1', 'ref-pay-4'))).toMatchObject({
      reason: 'SHORT_CREDIT',
      sha256: null,
      line: null,
      batchId: 'batch-1',
    });
    expect(items.size).toBe(5);

    expect(counts.get('batch/batch-1')).toEqual({
      id: 'batch/batch-1',
      kind: 'batch',
      key: 'batch-1',
      total: 4,
      open: 4,
      assigned: 0,
      resolved: 0,
      shortCredits: 2,
    });
    expect(counts.get(`file/${FILE}`)).toMatchObject({ total: 4, open: 4, shortCredits: 1 });
    // The batch views count the same items: one fact, one count.
    expect(batchViews.get('batch-1')?.exceptions).toBe(counts.get('batch/batch-1')?.total);
  });

  it('moves an item and its counts through assignment and resolution', () => {
    const id = bankExceptionIdOf(FILE, 2);
    const raised = [...round, exception(2, { batchId: 'batch-1' }), exception(3, { batchId: 'batch-1' })];
    const { items, counts } = project([
      ...raised,
      assigned(id, 'op-1'),
      assigned(id, 'op-2'),
      resolved(id, 'belongs to another client'),
    ]);
    expect(items.get(id)).toMatchObject({
      status: 'resolved',
      assigneeId: 'op-2',
      assignedBy: 'lead',
      resolvedBy: 'op-1',
      sealedResolution: JSON.stringify('belongs to another client'),
      resolvedAt: at,
    });
    expect(counts.get('batch/batch-1')).toMatchObject({ total: 2, open: 1, assigned: 0, resolved: 1 });
    expect(counts.get(`file/${FILE}`)).toMatchObject({ total: 2, open: 1, assigned: 0, resolved: 1 });

    const half = project([...raised, assigned(id, 'op-1')]);
    expect(half.items.get(id)).toMatchObject({ status: 'assigned', assigneeId: 'op-1' });
    expect(half.counts.get('batch/batch-1')).toMatchObject({ total: 2, open: 1, assigned: 1, resolved: 0 });
  });

  it('raises an item once however often its fact is read, and never for a full credit or an unknown item', () => {
    const { items, counts } = project([
      ...round,
      exception(2, { batchId: 'batch-1' }),
      exception(2, { batchId: 'batch-1' }),
      exception(2, { batchId: 'batch-1' }, OTHER_FILE),
      facts.credited('pay-1', 'batch-1'),
      assigned(bankExceptionIdOf(FILE, 99), 'op-1'),
    ]);
    expect([...items.keys()].sort()).toEqual([bankExceptionIdOf(FILE, 2), bankExceptionIdOf(OTHER_FILE, 2)].sort());
    expect(counts.get('batch/batch-1')).toMatchObject({ total: 2, open: 2 });
    expect(counts.get(`file/${FILE}`)).toMatchObject({ total: 1 });
    expect(counts.get(`file/${OTHER_FILE}`)).toMatchObject({ total: 1 });
  });

  it('counts an exception of a reissued payment against the batch its line named, not the next one', () => {
    const { counts, batchViews } = project([
      ...round,
      facts.rejected('pay-4', 'batch-1'),
      facts.reissued('pay-4', 2),
      facts.batched('pay-4', 'batch-2', 2),
      exception(6, { paymentId: 'pay-4', reason: 'UNEXPECTED_STATE', batchId: 'batch-1' }),
    ]);
    expect(counts.get('batch/batch-1')).toMatchObject({ total: 1 });
    expect(counts.get('batch/batch-2')).toBeUndefined();
    expect(batchViews.get('batch-1')?.exceptions).toBe(1);
    expect(batchViews.get('batch-2')?.exceptions).toBe(0);
  });
});
