import { facts, PROGRAMME, rowsAfter } from '@salur/projections/testing';
import { roundProgressProjection } from './round-progress.projection';
import { ROUND_STAGES, RoundRow } from './round-progress.tables';

const round = (events: Parameters<typeof rowsAfter>[2]): Partial<RoundRow> => {
  const [row] = rowsAfter(roundProgressProjection, 'roundProgressRounds', events) as RoundRow[];
  // Only the stages a payment is in: zero counts left out, so each expectation reads at a glance.
  return Object.fromEntries(ROUND_STAGES.filter((stage) => row[stage] !== 0).map((stage) => [stage, row[stage]]));
};

describe('round progress', () => {
  const scheduled = [facts.scheduled('pay-1', 'b-1'), facts.scheduled('pay-2', 'b-2'), facts.scheduled('pay-3', 'b-3')];
  // A batch claims its payments before it is recorded.
  const batched = [
    ...scheduled,
    facts.batched('pay-1', 'batch-1'),
    facts.batched('pay-2', 'batch-1'),
    facts.batchCreated('batch-1', 2),
  ];
  const approved = [...batched, facts.batchApproved('batch-1', 2)];

  it('counts the round payments by stage, all of them in exactly one', () => {
    expect(round(scheduled)).toEqual({ scheduled: 3 });
    expect(round(batched)).toEqual({ scheduled: 1, batched: 2 });
    const [row] = rowsAfter(roundProgressProjection, 'roundProgressRounds', batched) as RoundRow[];
    expect(row).toMatchObject({ id: `${PROGRAMME}/2026-11`, programmeId: PROGRAMME, period: '2026-11', payments: 3 });
  });

  it('moves a batch payments to approved at once when it is approved, and keeps them there once submitted', () => {
    expect(round(approved)).toEqual({ scheduled: 1, approved: 2 });
    expect(round([...approved, facts.batchSubmitted('batch-1')])).toEqual({ scheduled: 1, approved: 2 });
    expect(round([...approved, facts.batchSubmitted('batch-1'), facts.sent('pay-1', 'batch-1')])).toEqual({
      scheduled: 1,
      approved: 1,
      sent: 1,
    });
  });

  it('counts unknown outcomes apart, then as the report or the officers resolve them', () => {
    const unknown = [
      ...approved,
      facts.batchSubmitted('batch-1'),
      facts.sent('pay-1', 'batch-1'),
      facts.sent('pay-2', 'batch-1'),
      facts.outcomeUnknown('pay-1', 'batch-1'),
      facts.outcomeUnknown('pay-2', 'batch-1'),
    ];
    expect(round(unknown)).toEqual({ scheduled: 1, outcomeUnknown: 2 });
    const resolved = [
      ...unknown,
      facts.credited('pay-1', 'batch-1'),
      facts.outcomeDecided('pay-2', 'batch-1', 'not-credited'),
    ];
    expect(round(resolved)).toEqual({ scheduled: 1, credited: 1, notCredited: 1 });
    expect(round([...resolved, facts.reissued('pay-2', 2), facts.batchSettled('batch-1', 2)])).toEqual({
      scheduled: 1,
      credited: 1,
      reissued: 1,
    });
  });

  it('follows the bank results, a reissue into a new batch, and a batch closed after its approval', () => {
    const results = [
      ...approved,
      facts.sent('pay-1', 'batch-1'),
      facts.sent('pay-2', 'batch-1'),
      facts.credited('pay-1', 'batch-1'),
      facts.rejected('pay-2', 'batch-1'),
    ];
    expect(round(results)).toEqual({ scheduled: 1, credited: 1, rejected: 1 });
    const reissued = [...results, facts.reissued('pay-2', 2)];
    expect(round(reissued)).toEqual({ scheduled: 1, credited: 1, reissued: 1 });
    const second = [
      ...reissued,
      facts.batched('pay-2', 'batch-2', 2),
      facts.batched('pay-3', 'batch-2'),
      facts.batchCreated('batch-2', 2),
      facts.batchApproved('batch-2', 2),
    ];
    expect(round(second)).toEqual({ credited: 1, approved: 2 });
    // Cancelled after approval: its payments wait in it unapproved, then go back to the pool as they were.
    const cancelled = [...second, facts.batchClosed('BatchCancelled', 'batch-2', true)];
    expect(round(cancelled)).toEqual({ credited: 1, batched: 2 });
    const returned = [...cancelled, facts.unbatched('pay-2', 'batch-2'), facts.unbatched('pay-3', 'batch-2')];
    expect(round(returned)).toEqual({ credited: 1, reissued: 1, scheduled: 1 });
    expect(round([...returned, facts.returned('pay-1', 'batch-1')])).toEqual({
      returned: 1,
      reissued: 1,
      scheduled: 1,
    });
  });
});
