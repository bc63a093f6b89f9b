import { readModel } from '@salur/projections';
import { paymentEvent, programmeEvent } from './event-guards';
import { minus, plus, ZERO_AMOUNT } from '@salur/projections';
import { BUDGET_TABLES, BudgetPaymentRow, BudgetRow } from './budget.tables';

/** Payment → programme, for the payment events that do not name their programme. */
export const budgetPaymentsReadModel = readModel<BudgetPaymentRow>({
  table: BUDGET_TABLES.payments,
  rowIdsOf(recorded) {
    const event = paymentEvent(recorded);
    return event?.type === 'PaymentScheduled' ? [event.data.paymentId] : [];
  },
  evolve(row, recorded, id) {
    const event = paymentEvent(recorded);
    if (row !== undefined || event?.type !== 'PaymentScheduled') return row;
    return { id, programmeId: event.data.programmeId };
  },
});

/** One row per programme: its ceiling, reservations and releases, and what reached beneficiaries. */
export const budgetReadModel = readModel<BudgetRow>({
  table: BUDGET_TABLES.programmes,
  lookups: [BUDGET_TABLES.payments],

  rowIdsOf(recorded, lookup) {
    const programme = programmeEvent(recorded);
    if (programme !== undefined) return [programme.data.programmeId];
    const payment = paymentEvent(recorded);
    if (payment === undefined) return [];
    const type = payment.type;
    if (type !== 'PaymentCredited' && type !== 'PaymentReturned' && type !== 'PaymentReversed') return [];
    const owner = lookup.row<BudgetPaymentRow>(BUDGET_TABLES.payments, payment.data.paymentId);
    return owner === undefined ? [] : [owner.programmeId];
  },

  evolve(row, recorded) {
    const programme = programmeEvent(recorded);
    if (programme?.type === 'ProgrammeCreated') {
      const { programmeId, code, fiscalYear, budgetCeiling, at } = programme.data;
      if (row !== undefined) return row;
      return {
        id: programmeId,
        code,
        fiscalYear,
        ceiling: budgetCeiling,
        reserved: ZERO_AMOUNT,
        released: ZERO_AMOUNT,
        credited: ZERO_AMOUNT,
        remaining: budgetCeiling,
        updatedAt: at,
      };
    }
    if (row === undefined) return row;
    if (programme !== undefined) {
      switch (programme.type) {
        case 'BudgetCeilingRaised':
          return withRemaining({ ...row, ceiling: programme.data.newCeiling, updatedAt: programme.data.at });
        case 'BudgetReserved':
          return withRemaining({
            ...row,
            reserved: plus(row.reserved, programme.data.amount),
            updatedAt: programme.data.at,
          });
        case 'BudgetReleased':
          return withRemaining({
            ...row,
            released: plus(row.released, programme.data.amount),
            updatedAt: programme.data.at,
          });
        default:
          // A programme event this read model does not know (a newer type) never changes the row.
          return row;
      }
    }
    const payment = paymentEvent(recorded);
    switch (payment?.type) {
      case 'PaymentCredited':
        return { ...row, credited: plus(row.credited, payment.data.creditedAmount), updatedAt: payment.data.at };
      case 'PaymentReturned':
        return { ...row, credited: minus(row.credited, payment.data.returnedAmount), updatedAt: payment.data.at };
      case 'PaymentReversed':
        return { ...row, credited: minus(row.credited, payment.data.amount), updatedAt: payment.data.at };
      default:
        return row;
    }
  },
});

function withRemaining(row: BudgetRow): BudgetRow {
  return { ...row, remaining: plus(minus(row.ceiling, row.reserved), row.released) };
}
