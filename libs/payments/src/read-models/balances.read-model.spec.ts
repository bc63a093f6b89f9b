import { amountOf, formatAmount } from '@salur/kernel';
import { projectInMemory } from '@salur/projections';
import { facts, recordedEvents, rowsAfter } from '@salur/projections/testing';
import { FIGURES, figuresOf } from './balance-figures';
import { balancesProjection } from './balances.projection';
import type { BalancePaymentRow, BalanceRow } from './balances.tables';

const history = [
  facts.scheduled('pay-1', 'b-1'),
  facts.scheduled('pay-2', 'b-1', '2026-12'),
  facts.scheduled('pay-3', 'b-2'),
  facts.batched('pay-1', 'batch-1'),
  facts.batched('pay-3', 'batch-1'),
  facts.sent('pay-1', 'batch-1'),
  facts.sent('pay-3', 'batch-1'),
  facts.credited('pay-1', 'batch-1', '597500.00'),
  facts.rejected('pay-3', 'batch-1'),
  facts.reissued('pay-3', 2),
  facts.batched('pay-3', 'batch-2', 2),
  facts.sent('pay-3', 'batch-2'),
  facts.credited('pay-3', 'batch-2'),
  facts.reversed('pay-3'),
];

const balances = (events = history) =>
  new Map(
    (rowsAfter(balancesProjection, 'balancesBeneficiaries', events) as BalanceRow[]).map((row) => [
      row.beneficiaryId,
      row,
    ]),
  );

describe('beneficiary balances', () => {
  it('sums each beneficiary payments by where they stand', () => {
    expect(balances().get('b-1')).toMatchObject({
      id: 'p-1/b-1',
      payments: 2,
      approved: '1200000.00',
      waiting: '600000.00',
      inFlight: '0.00',
      credited: '597500.00',
      deducted: '2500.00',
      outstanding: '602500.00',
    });
    expect(balances().get('b-2')).toMatchObject({
      approved: '600000.00',
      reversed: '600000.00',
      credited: '0.00',
      outstanding: '0.00',
    });
    expect(balances(history.slice(0, 9)).get('b-2')).toMatchObject({
      awaitingReissue: '600000.00',
      outstanding: '600000.00',
    });
  });

  it('keeps an unknown outcome in flight, then moves it as two officers decide', () => {
    const unknown = [
      facts.scheduled('pay-4', 'b-4'),
      facts.scheduled('pay-5', 'b-5'),
      facts.batched('pay-4', 'batch-3'),
      facts.batched('pay-5', 'batch-3'),
      facts.sent('pay-4', 'batch-3'),
      facts.sent('pay-5', 'batch-3'),
      facts.outcomeUnknown('pay-4', 'batch-3'),
      facts.outcomeUnknown('pay-5', 'batch-3'),
    ];
    expect(balances(unknown).get('b-4')).toMatchObject({ inFlight: '600000.00', outstanding: '600000.00' });
    const decided = [
      ...unknown,
      facts.outcomeDecided('pay-4', 'batch-3', 'credited'),
      facts.outcomeDecided('pay-5', 'batch-3', 'not-credited'),
    ];
    expect(balances(decided).get('b-4')).toMatchObject({
      inFlight: '0.00',
      credited: '600000.00',
      deducted: '0.00',
      outstanding: '0.00',
    });
    expect(balances(decided).get('b-5')).toMatchObject({
      inFlight: '0.00',
      awaitingReissue: '600000.00',
      outstanding: '600000.00',
    });
    const rows = rowsAfter(balancesProjection, 'balancesPayments', decided) as BalancePaymentRow[];
    expect(rows.map((row) => [row.id, row.status])).toEqual([
      ['pay-4', 'credited'],
      ['pay-5', 'not-credited'],
    ]);
  });

  it('equals, after any prefix of the log, the sum of what its payments add', () => {
    for (let length = 1; length <= history.length; length++) {
      const tables = projectInMemory(balancesProjection, recordedEvents(history.slice(0, length)));
      const payments = [...(tables.get('balancesPayments')?.values() ?? [])].map(
        (stored) => stored.row as BalancePaymentRow,
      );
      for (const stored of tables.get('balancesBeneficiaries')?.values() ?? []) {
        const row = stored.row as BalanceRow;
        const own = payments.filter((payment) => payment.beneficiaryId === row.beneficiaryId);
        for (const figure of FIGURES) {
          const total = own.reduce(
            (sum, payment) => sum.plus(amountOf(figuresOf(payment)[figure] ?? '0.00')),
            amountOf('0'),
          );
          expect({ length, figure, value: row[figure] }).toEqual({ length, figure, value: formatAmount(total) });
        }
      }
    }
  });

  it('gives the same rows however the log is cut into batches, and a replay changes nothing', () => {
    const whole = projectInMemory(balancesProjection, recordedEvents(history));
    const events = recordedEvents(history);
    const inSteps = projectInMemory(balancesProjection, events.slice(0, 5));
    projectInMemory(balancesProjection, events.slice(5, 11), inSteps);
    projectInMemory(balancesProjection, events.slice(11), inSteps);
    expect(inSteps).toEqual(whole);
    projectInMemory(balancesProjection, events.slice(3), inSteps);
    expect(inSteps).toEqual(whole);
  });
});
