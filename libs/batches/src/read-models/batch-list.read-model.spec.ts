import type { BatchEvent } from '@salur/batches';
import { rowsAfter } from '@salur/projections/testing';
import { BATCH_LIST_COLUMNS } from './batch.queries';
import { batchViewsProjection } from './batch-views.projection';

const batchId = 'b-1';
const at = (minute: number) => `2026-11-01T00:${String(minute).padStart(2, '0')}:00.000Z`;
const created: BatchEvent = {
  type: 'BatchCreated',
  data: {
    batchId,
    programmeId: 'p-1',
    period: '2026-11',
    makerId: 'maker',
    payments: [{ paymentId: 'pay-1', amount: '600000.00' }],
    count: 1,
    controlSum: '600000.00',
    contentHash: 'h1',
    requiredApprovals: 2,
    expiresAt: '2026-11-08T00:00:00.000Z',
    at: at(0),
  },
};
const approval = (approverId: string, contentHash: string, minute: number): BatchEvent => ({
  type: 'BatchApprovalRecorded',
  data: { batchId, approverId, contentHash, approvals: 1, requiredApprovals: 2, at: at(minute) },
});

/** The batch list's view of the batch-view rows (GET /batches). */
const batches = (events: BatchEvent[]) =>
  rowsAfter(batchViewsProjection, 'batchViewsBatches', events).map((row) =>
    Object.fromEntries(BATCH_LIST_COLUMNS.map((column) => [column, row[column]])),
  );

describe("batch list (the batch views' rows)", () => {
  it('records a new batch as pending with no approvers', () => {
    expect(batches([created])).toEqual([
      {
        id: batchId,
        programmeId: 'p-1',
        period: '2026-11',
        makerId: 'maker',
        status: 'pending',
        count: 1,
        controlSum: '600000.00',
        contentHash: 'h1',
        requiredApprovals: 2,
        approverIds: '[]',
        expiresAt: '2026-11-08T00:00:00.000Z',
        createdAt: at(0),
        updatedAt: at(0),
      },
    ]);
  });

  it('collects approvers once each, and forgets them when the content changes', () => {
    const changed: BatchEvent = {
      type: 'BatchChanged',
      data: {
        batchId,
        removedPaymentIds: ['pay-1'],
        reason: 'account fixed',
        count: 0,
        controlSum: '0.00',
        contentHash: 'h2',
        requiredApprovals: 1,
        changedBy: 'maker',
        at: at(3),
      },
    };
    expect(batches([created, approval('a', 'h1', 1), approval('a', 'h1', 2)])[0]).toMatchObject({
      approverIds: '["a"]',
    });
    expect(batches([created, approval('a', 'h1', 1), changed])[0]).toMatchObject({
      approverIds: '[]',
      contentHash: 'h2',
      count: 0,
      controlSum: '0.00',
      requiredApprovals: 1,
    });
  });

  it('takes the approvers of the approval and follows the end states', () => {
    const approved: BatchEvent = {
      type: 'BatchApproved',
      data: {
        batchId,
        programmeId: 'p-1',
        contentHash: 'h1',
        approverIds: ['a', 'b'],
        count: 1,
        controlSum: '600000.00',
        at: at(5),
      },
    };
    expect(batches([created, approval('a', 'h1', 1), approval('b', 'h1', 2), approved])[0]).toMatchObject({
      status: 'approved',
      approverIds: '["a","b"]',
    });
    const ending = (event: BatchEvent) => batches([created, event])[0].status;
    expect(
      ending({ type: 'BatchRejected', data: { batchId, reason: 'x', rejectedBy: 'a', wasApproved: false, at: at(9) } }),
    ).toBe('rejected');
    expect(
      ending({
        type: 'BatchCancelled',
        data: { batchId, reason: 'x', cancelledBy: 'a', wasApproved: false, at: at(9) },
      }),
    ).toBe('cancelled');
    expect(ending({ type: 'BatchExpired', data: { batchId, at: at(9) } })).toBe('expired');
  });

  it('lists a submitted batch as submitted, as the batch view says (they are one fold)', () => {
    const submitted: BatchEvent = {
      type: 'BatchSubmitted',
      data: { batchId, fileName: 'b-1.xml', sha256: 'f1', submittedBy: 'h2h', at: at(7) },
    };
    expect(batches([created, submitted])[0]).toMatchObject({ status: 'submitted', updatedAt: at(7) });
  });
});
