import { plus, readModel, ZERO_AMOUNT } from '@salur/projections';
import { programmeEvent } from './event-guards';
import { PROGRAMMES_TABLE, ProgrammeRow } from './programmes.tables';

/** One row per programme: its terms and running budget totals, summed in decimal, never in floats. */
export const programmesReadModel = readModel<ProgrammeRow>({
  table: PROGRAMMES_TABLE,

  rowIdsOf(recorded) {
    const event = programmeEvent(recorded);
    return event === undefined ? [] : [event.data.programmeId];
  },

  evolve(row, recorded) {
    const event = programmeEvent(recorded);
    if (event === undefined) return row;
    if (event.type === 'ProgrammeCreated') {
      const { programmeId, code, name, fiscalYear, currency, budgetCeiling, benefitAmount, at } = event.data;
      return {
        id: programmeId,
        code,
        name,
        fiscalYear,
        currency,
        budgetCeiling,
        benefitAmount,
        reserved: ZERO_AMOUNT,
        released: ZERO_AMOUNT,
        createdAt: at,
        updatedAt: at,
      };
    }
    // Only ProgrammeCreated starts a programme; anything else for an unknown one is ignored.
    if (row === undefined) return row;
    switch (event.type) {
      case 'BudgetCeilingRaised':
        return { ...row, budgetCeiling: event.data.newCeiling, updatedAt: event.data.at };
      case 'BudgetReserved':
        return { ...row, reserved: plus(row.reserved, event.data.amount), updatedAt: event.data.at };
      case 'BudgetReleased':
        return { ...row, released: plus(row.released, event.data.amount), updatedAt: event.data.at };
      default:
        // An event this read model does not know (a newer type) never changes or deletes the row.
        return row;
    }
  },
});
