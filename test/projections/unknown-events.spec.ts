import { LEDGER_PROJECTIONS } from '@salur/ledger';
import { projectInMemory } from '@salur/projections';
import { recordedEvents } from '@salur/projections/testing';
import { ledgerScenario } from './support/ledger-scenario';

/**
 * A newer release may write an event type this one does not know (or a type a read model does
 * not handle). Every read model must keep its rows as they were: an unknown event never deletes
 * or changes data (the audit trail, an index of every event, may add a row for it). Each unknown event carries the ids of real rows, so a read model that looked
 * only at the ids (and not the type) would be caught touching them.
 */
describe('read models and events they do not know', () => {
  const history = ledgerScenario({
    programmes: 2,
    beneficiariesPerProgramme: 4,
    periods: ['2026-01'],
    batchSize: 3,
  }).flatMap((append) => append.events);
  const recorded = recordedEvents(history);
  const ids = (type: string) => recorded.filter((event) => event.type === type).map((event) => event.data);
  const [payment] = ids('PaymentScheduled');
  const [batch] = ids('BatchCreated');
  const unknown = recordedEvents(
    [
      { type: 'PaymentSomethingNew', data: { paymentId: payment.paymentId, at: '2027-01-01T00:00:00.000Z' } },
      { type: 'BatchSomethingNew', data: { batchId: batch.batchId, at: '2027-01-01T00:00:00.000Z' } },
      {
        type: 'ProgrammeSomethingNew',
        data: {
          programmeId: payment.programmeId,
          beneficiaryId: payment.beneficiaryId,
          at: '2027-01-01T00:00:00.000Z',
        },
      },
    ],
    recorded.length + 1,
  );

  it.each(LEDGER_PROJECTIONS.map((projection) => [projection.name, projection] as const))(
    '%s keeps every row',
    (_name, projection) => {
      const before = projectInMemory(projection, recorded);
      const after = projectInMemory(projection, [...recorded, ...unknown]);
      let compared = 0;
      for (const [table, rows] of before) {
        for (const [id, stored] of rows) {
          expect([table, id, after.get(table)?.get(id)?.row]).toEqual([table, id, stored.row]);
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(0);
    },
  );
});
