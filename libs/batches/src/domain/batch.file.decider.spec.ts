import type { CommandContext } from '@salur/kernel';
import { specFor } from '@salur/kernel/testing';
import type { BatchCommand } from './batch.commands';
import { batchDecider } from './batch.decider';
import type { BatchEvent } from './batch.events';
import { initialBatchState, isOpen } from './batch.state';

const spec = specFor(batchDecider);
const at = '2026-11-26T08:00:00.000Z';
const later = '2026-11-26T09:00:00.000Z';
const batchId = '5d6f1b7e-2c43-4e6a-9d1f-000000000001';
const job: CommandContext = { actor: { userId: 'bank-file-job', role: 'bank-integration' }, now: later };
const sha = 'a'.repeat(64);
const otherSha = 'b'.repeat(64);

const created: BatchEvent = {
  type: 'BatchCreated',
  data: {
    batchId,
    programmeId: 'BANTU-UMAK-2026',
    period: '2026-11',
    makerId: 'maker',
    payments: [
      { paymentId: 'p1', amount: '600000.00' },
      { paymentId: 'p2', amount: '600000.00' },
    ],
    count: 2,
    controlSum: '1200000.00',
    contentHash: 'c'.repeat(64),
    requiredApprovals: 1,
    expiresAt: '2026-11-29T08:00:00.000Z',
    at,
  },
};
const approved: BatchEvent = {
  type: 'BatchApproved',
  data: {
    batchId,
    programmeId: 'BANTU-UMAK-2026',
    contentHash: 'c'.repeat(64),
    approverIds: ['approver-1'],
    count: 2,
    controlSum: '1200000.00',
    at,
  },
};
const record = (overrides: Partial<{ sha256: string; count: number; controlSum: string; format: 'pain001' | 'csv' }>) =>
  ({
    type: 'RecordBatchFile',
    data: {
      batchId,
      fileName: 'pain001-batch.xml',
      format: 'pain001',
      sha256: sha,
      count: 2,
      controlSum: '1200000.00',
      ...overrides,
    },
    context: job,
  }) as BatchCommand;
const generated: BatchEvent = {
  type: 'BatchFileGenerated',
  data: {
    batchId,
    fileName: 'pain001-batch.xml',
    format: 'pain001',
    sha256: sha,
    count: 2,
    controlSum: '1200000.00',
    chargeBearer: 'DEBT',
    generatedBy: 'bank-file-job',
    generatedAt: later,
  },
};
const submit = { type: 'SubmitBatch', data: { batchId }, context: job } as BatchCommand;
const submitted: BatchEvent = {
  type: 'BatchSubmitted',
  data: { batchId, fileName: 'pain001-batch.xml', sha256: sha, submittedBy: 'bank-file-job', at: later },
};

describe('batch decider: bank files and submission', () => {
  describe('RecordBatchFile', () => {
    it('records the file of an approved batch with DEBT as charge bearer', () =>
      spec([created, approved]).when(record({})).then([generated]));
    it('refuses a batch that is not approved yet', () =>
      spec([created]).when(record({})).thenThrows({ code: 'BATCH_NOT_APPROVED', kind: 'rule' }));
    it('refuses a file whose count differs from the batch', () =>
      spec([created, approved])
        .when(record({ count: 3 }))
        .thenThrows({ code: 'BATCH_FILE_MISMATCH' }));
    it('refuses a file whose control sum differs from the batch', () =>
      spec([created, approved])
        .when(record({ controlSum: '1200000.01' }))
        .thenThrows({ code: 'BATCH_FILE_MISMATCH' }));
    it('treats the same file again as a retry', () =>
      spec([created, approved, generated]).when(record({})).thenNothingHappens());
    it('refuses another file of the same format', () =>
      spec([created, approved, generated])
        .when(record({ sha256: otherSha }))
        .thenThrows({ code: 'BATCH_FILE_EXISTS', kind: 'conflict' }));
    it('records the CSV beside the pain.001', () =>
      spec([created, approved, generated])
        .when(record({ format: 'csv', sha256: otherSha }))
        .then([{ type: 'BatchFileGenerated', data: { ...generated.data, format: 'csv', sha256: otherSha } as never }]));
    it('refuses a malformed SHA-256', () =>
      spec([created, approved])
        .when(record({ sha256: 'XYZ' }))
        .thenThrows({ code: 'INVALID_SHA256', field: 'sha256' }));
    it('still answers a retry after submission, and refuses a new file then', () => {
      spec([created, approved, generated, submitted]).when(record({})).thenNothingHappens();
      spec([created, approved, generated, submitted])
        .when(record({ format: 'csv', sha256: otherSha }))
        .thenThrows({ code: 'BATCH_NOT_APPROVED' });
    });
  });

  describe('SubmitBatch', () => {
    it('submits an approved batch whose pain.001 was recorded', () =>
      spec([created, approved, generated]).when(submit).then([submitted]));
    it('refuses without a pain.001', () =>
      spec([created, approved]).when(submit).thenThrows({ code: 'BATCH_FILE_MISSING' }));
    it('refuses a pending batch', () => spec([created]).when(submit).thenThrows({ code: 'BATCH_NOT_APPROVED' }));
    it('submits once: a second submission changes nothing (never sent twice)', () =>
      spec([created, approved, generated, submitted]).when(submit).thenNothingHappens());
    it('a submitted batch can no longer be cancelled: its payments are at the bank', () =>
      spec([created, approved, generated, submitted])
        .when({ type: 'CancelBatch', data: { batchId, reason: 'changed my mind' }, context: job } as BatchCommand)
        .thenThrows({ code: 'BATCH_CLOSED' }));
    it('a submitted batch still holds its payments', () => {
      const state = [created, approved, generated, submitted].reduce(batchDecider.evolve, initialBatchState);
      expect(state.status).toBe('submitted');
      expect(isOpen(state)).toBe(true);
    });
  });

  describe('SettleBatch', () => {
    type Outcome = Extract<BatchCommand, { type: 'SettleBatch' }>['data']['outcomes'][number]['outcome'];
    const settle = (p1: Outcome, p2: Outcome) =>
      ({
        type: 'SettleBatch',
        data: {
          batchId,
          outcomes: [
            { paymentId: 'p1', outcome: p1 },
            { paymentId: 'p2', outcome: p2 },
          ],
        },
        context: job,
      }) as BatchCommand;
    const settled = (counts: Partial<Record<string, number>>): BatchEvent => ({
      type: 'BatchSettled',
      data: {
        batchId,
        count: 2,
        credited: 0,
        rejected: 0,
        returned: 0,
        reversed: 0,
        decidedCredited: 0,
        decidedNotCredited: 0,
        ...counts,
        at: later,
      },
    });
    const all = [created, approved, generated, submitted];

    it('settles a submitted batch whose lines were credited and rejected', () =>
      spec(all)
        .when(settle('credited', 'rejected'))
        .then([settled({ credited: 1, rejected: 1 })]));
    it('counts the officers’ decisions on unknown outcomes as final', () =>
      spec(all)
        .when(settle('decided-credited', 'decided-not-credited'))
        .then([settled({ decidedCredited: 1, decidedNotCredited: 1 })]));
    it.each(['sent', 'outcome-unknown', 'not-sent'] as const)('refuses while a line is %s', (open) =>
      spec(all).when(settle('credited', open)).thenThrows({ code: 'BATCH_NOT_FINAL', kind: 'rule' }),
    );
    it('refuses when a line’s outcome is missing', () =>
      spec(all)
        .when({
          type: 'SettleBatch',
          data: { batchId, outcomes: [{ paymentId: 'p1', outcome: 'credited' }] },
          context: job,
        })
        .thenThrows({ code: 'BATCH_NOT_FINAL' }));
    it('refuses a batch not submitted', () =>
      spec([created, approved]).when(settle('credited', 'credited')).thenThrows({ code: 'BATCH_NOT_SUBMITTED' }));
    it('settles once', () =>
      spec([...all, settled({ credited: 2 })])
        .when(settle('credited', 'credited'))
        .thenNothingHappens());
    it('a settled batch is never submitted again', () =>
      spec([...all, settled({ credited: 2 })])
        .when(submit)
        .thenNothingHappens());
  });
});
