import { facts, rowsAfter } from '@salur/projections/testing';
import { batchViewsProjection } from './batch-views.projection';
import type { BatchViewRow } from './batch-views.tables';

const batchView = (events: Parameters<typeof rowsAfter>[2]) =>
  (rowsAfter(batchViewsProjection, 'batchViewsBatches', events) as BatchViewRow[])[0];

describe('batch views', () => {
  const approved = [
    facts.scheduled('pay-1', 'b-1'),
    facts.scheduled('pay-2', 'b-2'),
    facts.scheduled('pay-3', 'b-3'),
    facts.batched('pay-1', 'batch-1'),
    facts.batched('pay-2', 'batch-1'),
    facts.batched('pay-3', 'batch-1'),
    facts.batchCreated('batch-1', 3),
    facts.batchApproved('batch-1', 3),
  ];

  it('shows a new batch with all its payments pending and no file yet', () => {
    expect(batchView(approved)).toMatchObject({
      status: 'approved',
      count: 3,
      controlSum: '1800000.00',
      approverIds: '["approver"]',
      pending: 3,
      sent: 0,
      fileName: null,
      fileSha256: null,
      exceptions: 0,
    });
  });

  it('names the batch file by its pain.001 whichever rendering came first, and lists both', () => {
    const view = batchView([
      ...approved,
      facts.fileGenerated('batch-1', 'csv', 3),
      facts.fileGenerated('batch-1', 'pain001', 3),
      facts.batchSubmitted('batch-1'),
    ]);
    expect(view).toMatchObject({
      status: 'submitted',
      fileName: 'batch-1.xml',
      fileSha256: 'a'.repeat(64),
      fileFormat: 'pain001',
    });
    expect(JSON.parse(view.files).map((file: { format: string }) => file.format)).toEqual(['csv', 'pain001']);
  });

  it('counts what the bank answered, reversals found through the payment, exceptions about its payments', () => {
    const view = batchView([
      ...approved,
      facts.sent('pay-1', 'batch-1'),
      facts.sent('pay-2', 'batch-1'),
      facts.sent('pay-3', 'batch-1'),
      facts.credited('pay-1', 'batch-1'),
      facts.credited('pay-2', 'batch-1'),
      facts.reversed('pay-2'),
      facts.rejected('pay-3', 'batch-1'),
      facts.exception('pay-3'),
      facts.exception(null),
      facts.exception('pay-unknown'),
    ]);
    expect(view).toMatchObject({
      sent: 3,
      credited: 1,
      reversed: 1,
      rejected: 1,
      returned: 0,
      pending: 0,
      exceptions: 1,
    });
  });

  it('counts unknown outcomes among the pending until a report or two officers resolve them, then settles', () => {
    const submitted = [
      ...approved,
      facts.batchSubmitted('batch-1'),
      facts.sent('pay-1', 'batch-1'),
      facts.sent('pay-2', 'batch-1'),
      facts.sent('pay-3', 'batch-1'),
      facts.outcomeUnknown('pay-1', 'batch-1'),
      facts.outcomeUnknown('pay-2', 'batch-1'),
      facts.outcomeUnknown('pay-3', 'batch-1'),
    ];
    expect(batchView(submitted)).toMatchObject({ status: 'submitted', pending: 3, outcomeUnknown: 3 });
    const resolved = [
      ...submitted,
      facts.credited('pay-1', 'batch-1'),
      facts.outcomeDecided('pay-2', 'batch-1', 'credited'),
      facts.outcomeDecided('pay-3', 'batch-1', 'not-credited'),
    ];
    expect(batchView(resolved)).toMatchObject({ credited: 2, notCredited: 1, pending: 0, outcomeUnknown: 0 });
    expect(batchView([...resolved, facts.batchSettled('batch-1', 3)])).toMatchObject({
      status: 'settled',
      settledAt: expect.any(String),
      pending: 0,
    });
  });

  it('keeps a reissued payment result with its first batch and counts its new attempt in the next', () => {
    const events = [
      ...approved,
      facts.sent('pay-3', 'batch-1'),
      facts.rejected('pay-3', 'batch-1'),
      facts.reissued('pay-3', 2),
      facts.batched('pay-3', 'batch-2', 2),
      facts.batchCreated('batch-2', 1),
      facts.batchApproved('batch-2', 1),
      facts.sent('pay-3', 'batch-2'),
      facts.credited('pay-3', 'batch-2'),
    ];
    const views = rowsAfter(batchViewsProjection, 'batchViewsBatches', events) as BatchViewRow[];
    expect(views.find((view) => view.id === 'batch-1')).toMatchObject({ rejected: 1, credited: 0, pending: 2 });
    expect(views.find((view) => view.id === 'batch-2')).toMatchObject({ credited: 1, pending: 0 });
  });
});
