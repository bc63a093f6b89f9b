import { moved, ZERO_AMOUNT } from '@salur/projections';
import type { BalanceFigures, BalancePaymentRow } from './balances.tables';

export const FIGURES = [
  'approved',
  'waiting',
  'inFlight',
  'credited',
  'awaitingReissue',
  'reversed',
  'deducted',
  'outstanding',
] as const satisfies readonly (keyof BalanceFigures)[];

export const NO_FIGURES: BalanceFigures = Object.fromEntries(
  FIGURES.map((figure) => [figure, ZERO_AMOUNT]),
) as BalanceFigures;

/** What one payment adds to its beneficiary's figures, by where it stands. Pure. */
export function figuresOf(payment: BalancePaymentRow | undefined): Partial<Record<keyof BalanceFigures, string>> {
  if (payment === undefined) return {};
  const { amount } = payment;
  switch (payment.status) {
    case 'scheduled':
    case 'reissued':
      return { approved: amount, waiting: amount, outstanding: amount };
    case 'batched':
    case 'sent':
    case 'outcome-unknown':
      return { approved: amount, inFlight: amount, outstanding: amount };
    case 'rejected':
    case 'returned':
    case 'not-credited':
      return { approved: amount, awaitingReissue: amount, outstanding: amount };
    case 'credited': {
      const deducted = payment.deductedAmount ?? ZERO_AMOUNT;
      return { approved: amount, credited: payment.creditedAmount ?? amount, deducted, outstanding: deducted };
    }
    case 'reversed':
      return { approved: amount, reversed: payment.reversedAmount ?? ZERO_AMOUNT };
  }
}

/** figures + after − before, figure by figure, exactly (see moved); only the figures the payment moves are touched. */
export function moveFigures<Figures extends BalanceFigures>(
  figures: Figures,
  before: BalancePaymentRow | undefined,
  after: BalancePaymentRow | undefined,
): Figures {
  const removed = figuresOf(before);
  const added = figuresOf(after);
  const next: Record<string, string> = { ...figures };
  for (const figure of FIGURES) {
    const minus = removed[figure];
    const plus = added[figure];
    if (minus !== plus) next[figure] = moved(figures[figure], plus, minus);
  }
  return next as Figures;
}
