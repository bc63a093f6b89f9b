import type { ProgrammeEvent } from '@salur/programmes';
import { facts, rowsAfter } from '@salur/projections/testing';
import { budgetProjection } from './budget.projection';

const programme = (
  type: 'ProgrammeCreated' | 'BudgetReserved' | 'BudgetReleased' | 'BudgetCeilingRaised',
  amount: string,
): ProgrammeEvent =>
  ({
    type,
    data: {
      programmeId: 'p-1',
      code: 'BANTU-UMAK',
      name: 'Bantuan',
      fiscalYear: 2026,
      currency: 'IDR',
      budgetCeiling: amount,
      benefitAmount: '600000.00',
      createdBy: 'po',
      reservationId: 'r-1',
      releaseId: 'rel-1',
      batchId: 'batch-1',
      amount,
      newCeiling: amount,
      previousCeiling: '0.00',
      reason: 'x',
      remainingBudget: '0.00',
      reservedBy: 'fo',
      releasedBy: 'fo',
      raisedBy: 'po',
      at: '2026-11-01T00:00:00.000Z',
    },
  }) as ProgrammeEvent;

describe('budget per programme', () => {
  it('keeps ceiling, reservations, releases and what reached the beneficiaries, net of returns and reversals', () => {
    const [row] = rowsAfter(budgetProjection, 'budgetProgrammes', [
      programme('ProgrammeCreated', '10000000.00'),
      programme('BudgetReserved', '1800000.00'),
      programme('BudgetReleased', '600000.00'),
      programme('BudgetCeilingRaised', '12000000.00'),
      facts.scheduled('pay-1', 'b-1'),
      facts.scheduled('pay-2', 'b-2'),
      facts.scheduled('pay-3', 'b-3'),
      facts.credited('pay-1', 'batch-1', '597500.00'),
      facts.credited('pay-2', 'batch-1'),
      facts.credited('pay-3', 'batch-1'),
      facts.returned('pay-2', 'batch-1'),
      facts.reversed('pay-3'),
    ]);
    expect(row).toMatchObject({
      ceiling: '12000000.00',
      reserved: '1800000.00',
      released: '600000.00',
      credited: '597500.00',
      remaining: '10800000.00',
    });
  });
});
