import type { ProgrammeEvent } from '@salur/programmes';
import { rowsAfter } from '@salur/projections/testing';
import { programmesProjection } from './programmes.projection';

const created: ProgrammeEvent = {
  type: 'ProgrammeCreated',
  data: {
    programmeId: 'p-1',
    code: 'BANTU-UMAK',
    name: 'Bantuan Usaha Mikro',
    fiscalYear: 2026,
    currency: 'IDR',
    budgetCeiling: '1000000000.00',
    benefitAmount: '600000.00',
    createdBy: 'officer-1',
    at: '2026-01-02T03:04:05.000Z',
  },
};

const reserved = (amount: string, reservationId: string): ProgrammeEvent => ({
  type: 'BudgetReserved',
  data: {
    programmeId: 'p-1',
    reservationId,
    batchId: `b-${reservationId}`,
    amount,
    remainingBudget: '0.00',
    reservedBy: 'f-1',
    at: '2026-02-01T00:00:00.000Z',
  },
});

const programmes = (events: ProgrammeEvent[]) => rowsAfter(programmesProjection, 'programmes', events);

describe('programmes read model', () => {
  it('starts a programme with its terms and empty budget totals', () => {
    expect(programmes([created])).toEqual([
      {
        id: 'p-1',
        code: 'BANTU-UMAK',
        name: 'Bantuan Usaha Mikro',
        fiscalYear: 2026,
        currency: 'IDR',
        budgetCeiling: '1000000000.00',
        benefitAmount: '600000.00',
        reserved: '0.00',
        released: '0.00',
        createdAt: '2026-01-02T03:04:05.000Z',
        updatedAt: '2026-01-02T03:04:05.000Z',
      },
    ]);
  });

  it('sums reservations and releases in decimal: no float ever rounds a rupiah', () => {
    const [row] = programmes([
      created,
      reserved('0.10', 'r-1'),
      reserved('0.20', 'r-2'),
      // Two amounts at the top of the range: their sum in cents is beyond 2^53.
      reserved('999999999999999.99', 'r-3'),
      reserved('999999999999999.99', 'r-4'),
      {
        type: 'BudgetReleased',
        data: {
          programmeId: 'p-1',
          releaseId: 'x-1',
          reservationId: 'r-1',
          batchId: 'b-r-1',
          amount: '0.10',
          reason: 'cancelled',
          remainingBudget: '0.00',
          releasedBy: 'f-1',
          at: '2026-03-01T00:00:00.000Z',
        },
      },
    ]);
    expect(row).toMatchObject({
      reserved: '2000000000000000.28',
      released: '0.10',
      updatedAt: '2026-03-01T00:00:00.000Z',
    });
  });

  it('follows a raised ceiling', () => {
    const [row] = programmes([
      created,
      {
        type: 'BudgetCeilingRaised',
        data: {
          programmeId: 'p-1',
          previousCeiling: '1000000000.00',
          newCeiling: '2000000000.00',
          reason: 'APBD-P',
          remainingBudget: '2000000000.00',
          raisedBy: 'o-1',
          at: '2026-06-01T00:00:00.000Z',
        },
      },
    ]);
    expect(row).toMatchObject({ budgetCeiling: '2000000000.00', updatedAt: '2026-06-01T00:00:00.000Z' });
  });

  it('ignores budget facts of a programme it never saw created', () => {
    expect(programmes([reserved('5.00', 'r-1')])).toEqual([]);
  });
});
