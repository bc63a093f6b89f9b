import type { CommandContext, Role } from '@salur/kernel';
import { specFor } from '@salur/kernel/testing';
import { paymentIdFor } from '@salur/payments/domain';
import { DEFAULT_APPROVAL_POLICY } from '@salur/kernel';
import { BatchItem, contentHashOf, contentHashV2Of, contentLinesOf, linesRootOf } from './batch-content';
import type { BatchCommand } from './batch.commands';
import { batchDecider } from './batch.decider';
import type { BatchCreated, BatchEvent } from './batch.events';

const spec = specFor(batchDecider);
const at = '2026-11-26T08:00:00.000Z';
const expiresAt = '2026-11-29T08:00:00.000Z';
const contextOf = (userId: string, now = at, role: Role = 'finance-officer'): CommandContext => ({
  actor: { userId, role },
  now,
});
const maker = contextOf('maker');
const batchId = '5d6f1b7e-2c43-4e6a-9d1f-000000000001';
const header = { batchId, programmeId: 'BANTU-UMAK-2026', period: '2026-11' };

function item(n: number, amount: string): BatchItem {
  const beneficiaryId = `b0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return {
    paymentId: paymentIdFor(header.programmeId, header.period, beneficiaryId),
    beneficiaryId,
    amount,
    account: {
      bankCode: '002',
      accountNumber: `0019010${String(n).padStart(8, '0')}`,
      accountHolderName: `PENERIMA ${n}`,
    },
  };
}

const small = [item(1, '600000.00'), item(2, '600000.00')];
// Rp 600 million in one batch: above the one-approver tier of Rp 500 million.
const large = [item(3, '300000000.00'), item(4, '300000000.00')];

const create = (items: readonly BatchItem[], context = maker) =>
  ({
    type: 'StartBatchCreation',
    data: { ...header, items, policy: DEFAULT_APPROVAL_POLICY, maxPayments: 5_000, expiresAt },
    context,
  }) as BatchCommand;

const created = (items: readonly BatchItem[], controlSum: string, requiredApprovals: number): BatchCreated => ({
  type: 'BatchCreated',
  data: {
    ...header,
    makerId: 'maker',
    payments: items.map(({ paymentId, amount }) => ({ paymentId, amount })),
    count: items.length,
    controlSum,
    contentHash: contentHashOf(header, items),
    requiredApprovals,
    expiresAt,
    at,
  },
});
/** The first step of the creation workflow: the batch's payments and total; no accounts yet. */
const started = (created: BatchCreated): BatchEvent => {
  const { contentHash: _contentHash, contentFormat: _format, payments, ...data } = created.data;
  const lines = payments.map(({ paymentId, amount }) => ({ paymentId, amount }));
  return { type: 'BatchCreationStarted', data: { ...data, payments: lines, contentFormat: 'salur-batch/v2' } };
};
const smallCreated = created(small, '1200000.00', 1);
const largeCreated = created(large, '600000000.00', 2);
const approve = (userId: string, contentHash: string, now = at) =>
  ({ type: 'ApproveBatch', data: { batchId, contentHash }, context: contextOf(userId, now) }) as BatchCommand;
const recorded = (approverId: string, approvals: number, required: number, contentHash: string): BatchEvent => ({
  type: 'BatchApprovalRecorded',
  data: { batchId, approverId, contentHash, approvals, requiredApprovals: required, at },
});

describe('batch decider', () => {
  describe('StartBatchCreation', () => {
    it('records count, control sum, content hash and the approvals its total needs', () =>
      spec([])
        .when(create(small))
        .then([started(smallCreated)]));
    it('needs two approvers above Rp 500 million', () =>
      spec([])
        .when(create(large))
        .then([started(largeCreated)]));
    it('treats the same start by the same maker as a retry, while forming too', () =>
      spec([started(smallCreated)])
        .when(create(small))
        .thenNothingHappens());
    it('treats the same creation by the same maker as a retry', () =>
      spec([smallCreated]).when(create(small)).thenNothingHappens());
    it('refuses another batch under an existing id', () =>
      spec([smallCreated]).when(create(large)).thenThrows({ code: 'BATCH_EXISTS', kind: 'conflict' }));
    it('refuses an empty batch', () =>
      spec([]).when(create([])).thenThrows({ code: 'EMPTY_BATCH', field: 'paymentIds' }));
    it('refuses a payment listed twice', () =>
      spec([])
        .when(create([small[0], small[0]]))
        .thenThrows({ code: 'DUPLICATE_PAYMENT_IN_BATCH' }));
    it('refuses a payment of another period', () => {
      const foreign = { ...small[0], paymentId: paymentIdFor(header.programmeId, '2026-12', small[0].beneficiaryId) };
      spec([])
        .when(create([foreign]))
        .thenThrows({ code: 'PAYMENT_NOT_IN_ROUND' });
    });
    it('refuses more payments than the limit', () =>
      spec([])
        .when({ ...create(small), data: { ...(create(small).data as object), maxPayments: 1 } } as BatchCommand)
        .thenThrows({ code: 'BATCH_TOO_LARGE' }));
    it('refuses a bad amount', () =>
      spec([])
        .when(create([item(1, '600000.005')]))
        .thenThrows({ code: 'INVALID_AMOUNT' }));
  });

  describe('the creation workflow: claims, then created or abandoned', () => {
    const complete = { type: 'CreateBatch', data: { batchId, items: small }, context: maker } as BatchCommand;
    const abandon = (reason = 'payment not claimed: PAYMENT_ALREADY_BATCHED') =>
      ({ type: 'AbandonBatchCreation', data: { batchId, reason }, context: maker }) as BatchCommand;
    const abandoned: BatchEvent = {
      type: 'BatchCreationAbandoned',
      data: { batchId, reason: 'payment not claimed: PAYMENT_ALREADY_BATCHED', at },
    };
    it('creates the batch as started once its payments are claimed', () =>
      spec([started(smallCreated)])
        .when(complete)
        .then([smallCreated]));
    it('creates it once: completing a created batch changes nothing', () =>
      spec([started(smallCreated), smallCreated])
        .when(complete)
        .thenNothingHappens());
    it('abandons a forming batch, once', () => {
      spec([started(smallCreated)])
        .when(abandon())
        .then([abandoned]);
      spec([started(smallCreated), abandoned])
        .when(abandon())
        .thenNothingHappens();
    });
    it('never creates an abandoned batch, nor abandons a created one', () => {
      spec([started(smallCreated), abandoned])
        .when(complete)
        .thenThrows({ code: 'BATCH_ABANDONED' });
      spec([started(smallCreated), smallCreated])
        .when(abandon())
        .thenThrows({ code: 'BATCH_NOT_FORMING' });
    });
    it('needs a reason to abandon', () =>
      spec([started(smallCreated)])
        .when(abandon(' '))
        .thenThrows({ code: 'INVALID_REASON' }));
    it('approves nothing while forming', () =>
      spec([started(smallCreated)])
        .when(approve('approver', smallCreated.data.contentHash))
        .thenThrows({ code: 'BATCH_NOT_PENDING' }));
    it('takes the content hash over the accounts the claims recorded', () => {
      const moved = small.map((entry) => ({ ...entry, account: { ...entry.account, accountNumber: '0099887766' } }));
      const withMoved = created(moved, '1200000.00', 1);
      spec([started(smallCreated)])
        .when({ ...complete, data: { batchId, items: moved } } as BatchCommand)
        .then([withMoved]);
    });
    it('refuses to complete a batch that was never started', () =>
      spec([]).when(complete).thenThrows({ code: 'BATCH_NOT_FOUND' }));
  });

  describe('ApproveBatch: four eyes', () => {
    const hash = smallCreated.data.contentHash;
    const largeHash = largeCreated.data.contentHash;
    const approved = (approverIds: string[], created: BatchCreated): BatchEvent => ({
      type: 'BatchApproved',
      data: {
        batchId,
        programmeId: header.programmeId,
        contentHash: created.data.contentHash,
        approverIds,
        count: 2,
        controlSum: created.data.controlSum,
        at,
      },
    });

    it('approves a small batch with one approver', () =>
      spec([smallCreated])
        .when(approve('approver-1', hash))
        .then([recorded('approver-1', 1, 1, hash), approved(['approver-1'], smallCreated)]));
    it('never lets the maker approve', () =>
      spec([smallCreated])
        .when(approve('maker', hash))
        .thenThrows({ code: 'MAKER_CANNOT_APPROVE', kind: 'forbidden' }));
    it.each(['MAKER', ' maker ', 'Maker'])('never lets the maker approve as %j', (userId) =>
      spec([smallCreated]).when(approve(userId, hash)).thenThrows({ code: 'MAKER_CANNOT_APPROVE', kind: 'forbidden' }),
    );
    it('never lets the maker approve a batch recorded before ids were canonical', () =>
      spec([{ ...smallCreated, data: { ...smallCreated.data, makerId: 'MAKER ' } }])
        .when(approve('maker', hash))
        .thenThrows({ code: 'MAKER_CANNOT_APPROVE', kind: 'forbidden' }));
    it('records a first approval of a large batch and waits for a second approver', () =>
      spec([largeCreated])
        .when(approve('approver-1', largeHash))
        .then([recorded('approver-1', 1, 2, largeHash)]));
    it('refuses a second approval by the same approver', () =>
      spec([largeCreated, recorded('approver-1', 1, 2, largeHash)])
        .when(approve('approver-1', largeHash))
        .thenThrows({ code: 'ALREADY_APPROVED', kind: 'conflict' }));
    it('refuses a second approval by the same approver under another spelling', () =>
      spec([largeCreated, recorded('Approver-1', 1, 2, largeHash)])
        .when(approve(' APPROVER-1 ', largeHash))
        .thenThrows({ code: 'ALREADY_APPROVED', kind: 'conflict' }));
    it('approves a large batch on the second distinct approver', () =>
      spec([largeCreated, recorded('approver-1', 1, 2, largeHash)])
        .when(approve('approver-2', largeHash))
        .then([recorded('approver-2', 2, 2, largeHash), approved(['approver-1', 'approver-2'], largeCreated)]));
    it('refuses an approval naming another content hash', () =>
      spec([smallCreated])
        .when(approve('approver-1', 'f'.repeat(64)))
        .thenThrows({ code: 'BATCH_CHANGED', kind: 'conflict' }));
    it('refuses an approval after the batch expired', () =>
      spec([smallCreated])
        .when(approve('approver-1', hash, expiresAt))
        .thenThrows({ code: 'BATCH_EXPIRED', kind: 'rule' }));
    it('refuses to approve an approved batch again', () =>
      spec([smallCreated, recorded('approver-1', 1, 1, hash), approved(['approver-1'], smallCreated)])
        .when(approve('approver-2', hash))
        .thenThrows({ code: 'BATCH_NOT_PENDING' }));
  });

  describe('a change voids earlier approvals', () => {
    const largeHash = largeCreated.data.contentHash;
    const three = [...large, item(5, '600000.00')];
    const threeCreated = created(three, '600600000.00', 2);
    const threeHash = threeCreated.data.contentHash;
    const remaining = large;
    const changed: BatchEvent = {
      type: 'BatchChanged',
      data: {
        batchId,
        removedPaymentIds: [three[2].paymentId],
        reason: 'beneficiary exited',
        count: 2,
        controlSum: '600000000.00',
        contentHash: largeHash,
        requiredApprovals: 2,
        changedBy: 'maker',
        at,
      },
    };
    const remove = {
      type: 'RemovePaymentsFromBatch',
      data: {
        batchId,
        paymentIds: [three[2].paymentId],
        remainingItems: remaining,
        policy: DEFAULT_APPROVAL_POLICY,
        reason: 'beneficiary exited',
      },
      context: maker,
    } as BatchCommand;

    it('records the new count, control sum and hash', () =>
      spec([threeCreated, recorded('approver-1', 1, 2, threeHash)])
        .when(remove)
        .then([changed]));
    it('an approval of the old content no longer counts: the batch needs two fresh approvals', () =>
      spec([threeCreated, recorded('approver-1', 1, 2, threeHash), changed])
        .when(approve('approver-2', largeHash))
        .then([recorded('approver-2', 1, 2, largeHash)]));
    it('the first approver must approve the new content again, and may', () =>
      spec([threeCreated, recorded('approver-1', 1, 2, threeHash), changed])
        .when(approve('approver-1', largeHash))
        .then([recorded('approver-1', 1, 2, largeHash)]));
    it('refuses an approval naming the old hash', () =>
      spec([threeCreated, changed]).when(approve('approver-1', threeHash)).thenThrows({ code: 'BATCH_CHANGED' }));
  });

  describe('salur-batch/v2: the lines as a Merkle tree, the account bound by record revision', () => {
    const claimed = (items: readonly BatchItem[]) =>
      items.map((entry, n) => ({ ...entry, beneficiaryRevision: n + 3 }));
    const three = claimed([...large, item(5, '600000.00')]);
    const lines = contentLinesOf(three) ?? [];
    const v2Created: BatchCreated = {
      type: 'BatchCreated',
      data: {
        ...threeV1().data,
        payments: lines,
        contentHash: contentHashV2Of(header, lines).contentHash,
        contentFormat: 'salur-batch/v2',
      },
    };
    function threeV1(): BatchCreated {
      return created(three, '600600000.00', 2);
    }
    const complete = { type: 'CreateBatch', data: { batchId, items: three }, context: maker } as BatchCommand;

    it('stores each line with its beneficiary, bank code and record revision, no account in clear', () => {
      spec([started(threeV1())])
        .when(complete)
        .then([v2Created]);
      expect(JSON.stringify(v2Created.data.payments)).not.toContain('0019010');
      expect(JSON.stringify(v2Created.data.payments)).not.toContain('PENERIMA');
    });
    it('signs the count and total with the lines root', () => {
      const { contentHash, linesRoot } = contentHashV2Of(header, lines);
      expect(linesRoot).toBe(linesRootOf([...lines].reverse()));
      expect(contentHashV2Of({ ...header, period: '2026-12' }, lines).contentHash).not.toBe(contentHash);
      const cheaper = lines.map((line, n) => (n === 0 ? { ...line, amount: '299999999.00' } : line));
      expect(contentHashV2Of(header, cheaper).contentHash).not.toBe(contentHash);
    });
    it('gives a changed account (a new record revision) another hash', () => {
      const moved = lines.map((line, n) => (n === 0 ? { ...line, beneficiaryRevision: 9 } : line));
      expect(contentHashV2Of(header, moved).contentHash).not.toBe(v2Created.data.contentHash);
    });
    it('keeps the first hash for a payment claimed before claims named the revision', () =>
      spec([started(threeV1())])
        .when({
          ...complete,
          data: { batchId, items: [...three.slice(0, 2), { ...three[2], beneficiaryRevision: undefined }] },
        } as BatchCommand)
        .then([{ ...threeV1(), data: { ...threeV1().data, contentHash: contentHashOf(header, three) } }]));
    it('changes to the signed lines minus the removed, with their root', () => {
      const remaining = lines.filter((line) => line.paymentId !== three[2].paymentId);
      const next = contentHashV2Of(header, remaining);
      spec([v2Created])
        .when({
          type: 'RemovePaymentsFromBatch',
          data: {
            batchId,
            paymentIds: [three[2].paymentId],
            remainingItems: three.slice(0, 2),
            policy: DEFAULT_APPROVAL_POLICY,
            reason: 'beneficiary exited',
          },
          context: maker,
        } as BatchCommand)
        .then([
          {
            type: 'BatchChanged',
            data: {
              batchId,
              removedPaymentIds: [three[2].paymentId],
              reason: 'beneficiary exited',
              count: 2,
              controlSum: '600000000.00',
              contentHash: next.contentHash,
              requiredApprovals: 2,
              changedBy: 'maker',
              at,
              contentFormat: 'salur-batch/v2',
              linesRoot: next.linesRoot,
            },
          },
        ]);
    });
    it('approves the v2 content hash, and refuses the first hash of the same lines', () => {
      spec([v2Created])
        .when(approve('approver-1', v2Created.data.contentHash))
        .then([recorded('approver-1', 1, 2, v2Created.data.contentHash)]);
      spec([v2Created])
        .when(approve('approver-1', contentHashOf(header, three)))
        .thenThrows({ code: 'BATCH_CHANGED' });
    });
  });

  describe('reject, cancel and expire', () => {
    const reason = 'wrong period selected';
    it('lets another officer reject a pending batch', () =>
      spec([smallCreated])
        .when({ type: 'RejectBatch', data: { batchId, reason }, context: contextOf('approver-1') })
        .then([
          { type: 'BatchRejected', data: { batchId, reason, rejectedBy: 'approver-1', wasApproved: false, at } },
        ]));
    it('refuses a rejection by the maker', () =>
      spec([smallCreated])
        .when({ type: 'RejectBatch', data: { batchId, reason }, context: maker })
        .thenThrows({ code: 'MAKER_CANNOT_REJECT' }));
    it('lets the maker cancel', () =>
      spec([smallCreated])
        .when({ type: 'CancelBatch', data: { batchId, reason }, context: maker })
        .then([{ type: 'BatchCancelled', data: { batchId, reason, cancelledBy: 'maker', wasApproved: false, at } }]));
    it('refuses a cancellation by another finance officer', () =>
      spec([smallCreated])
        .when({ type: 'CancelBatch', data: { batchId, reason }, context: contextOf('other') })
        .thenThrows({ code: 'NOT_BATCH_MAKER' }));
    it('refuses a reason too short to explain anything', () =>
      spec([smallCreated])
        .when({ type: 'CancelBatch', data: { batchId, reason: 'no' }, context: maker })
        .thenThrows({ code: 'INVALID_REASON', field: 'reason' }));
    it('refuses to cancel a cancelled batch twice only by doing nothing', () =>
      spec([
        smallCreated,
        { type: 'BatchCancelled', data: { batchId, reason, cancelledBy: 'maker', wasApproved: false, at } },
      ])
        .when({ type: 'CancelBatch', data: { batchId, reason }, context: maker })
        .thenNothingHappens());
    it('expires a pending batch once its time has passed', () =>
      spec([smallCreated])
        .when({ type: 'ExpireBatch', data: { batchId }, context: contextOf('system', expiresAt) })
        .then([{ type: 'BatchExpired', data: { batchId, at: expiresAt } }]));
    it('does not expire a batch early', () =>
      spec([smallCreated])
        .when({ type: 'ExpireBatch', data: { batchId }, context: contextOf('system') })
        .thenThrows({ code: 'BATCH_NOT_EXPIRED' }));
    it('refuses commands on a batch that does not exist', () =>
      spec([]).when(approve('approver-1', 'x')).thenThrows({ code: 'BATCH_NOT_FOUND', kind: 'not-found' }));
  });
});
