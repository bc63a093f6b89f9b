import { randomUUID } from 'node:crypto';
import { fold, type CommandContext, type DomainEvent } from '@salur/kernel';
import { programmeDecider, type ProgrammeCommand, type ProgrammeEvent } from '@salur/programmes/domain';
import { BatchObligations, type BatchObligation } from './batch-obligations';
import { reservationIdFor } from './batch-reservation';

const context: CommandContext = {
  actor: { userId: 'salur-workflows', role: 'admin' },
  now: '2026-11-20T00:00:00.000Z',
};
const programmeId = 'BANTU-UMAK-2026';
const at = '2026-11-10T00:00:00.000Z';

/**
 * The obligations as a real ledger has them (UUID batch and payment ids, a SHA-256 content hash),
 * each settled through the programme's own decider: an obligation the decider refuses would be
 * retried and failed on every pass, so none may be.
 */
describe('batch obligations with real ids', () => {
  const batchId = randomUUID();
  const payments = [randomUUID(), randomUUID()];
  const contentHash = 'a'.repeat(64);
  const reservationId = reservationIdFor(batchId, contentHash);
  let programme: ProgrammeEvent[];

  const run = (command: Omit<ProgrammeCommand, 'context'>) => {
    const events = programmeDecider.decide(
      { ...command, context } as ProgrammeCommand,
      fold(programmeDecider, programme),
    );
    programme = [...programme, ...events];
    return events;
  };

  beforeEach(() => {
    programme = [];
    run({
      type: 'CreateProgramme',
      data: {
        programmeId,
        code: 'BANTU-UMAK',
        name: 'Bantu Umak',
        fiscalYear: 2026,
        budgetCeiling: '6000000.00',
        benefitAmount: '600000.00',
        currency: 'IDR',
      },
    });
    run({ type: 'ReserveBudget', data: { programmeId, reservationId, amount: '1200000.00', batchId } });
  });

  function obligationsAfter(events: readonly DomainEvent[]): BatchObligations {
    const obligations = new BatchObligations();
    for (const event of [...programme, ...events]) obligations.observe(event);
    return obligations;
  }

  const created: DomainEvent[] = [
    {
      type: 'BatchCreated',
      data: {
        batchId,
        programmeId,
        period: '2026-11',
        makerId: 'maker',
        payments: payments.map((paymentId) => ({ paymentId, amount: '600000.00' })),
        count: 2,
        controlSum: '1200000.00',
        contentHash,
        requiredApprovals: 1,
        expiresAt: '2026-12-01T00:00:00.000Z',
        at,
      },
    },
    {
      type: 'BatchApproved',
      data: { batchId, programmeId, contentHash, approverIds: ['a'], count: 2, controlSum: '1200000.00', at },
    },
    ...payments.map((paymentId) => ({ type: 'PaymentBatched', data: { paymentId, batchId, attempt: 1, at } })),
    ...payments.map((paymentId) => ({ type: 'PaymentSentToBank', data: { paymentId, batchId, at } })),
  ];

  it('owes nothing while an approved batch holds its payments and its budget', () => {
    expect(obligationsAfter(created).owed()).toEqual([]);
  });

  it("releases a rejected payment's share exactly once, under an id the programme accepts", () => {
    const rejected = { type: 'PaymentRejected', data: { paymentId: payments[0], batchId, reasonCode: 'AC04', at } };
    const [owed] = obligationsAfter([...created, rejected]).owed() as Array<
      Extract<BatchObligation, { kind: 'release' }>
    >;
    expect(owed).toMatchObject({ kind: 'release', reservationId, amount: '600000.00', why: 'payment-rejected' });
    const released = run({
      type: 'ReleaseBudget',
      data: { programmeId, releaseId: owed.releaseId, reservationId, amount: owed.amount, reason: 'rejected' },
    });
    expect(released.map((event) => event.type)).toEqual(['BudgetReleased']);
    expect(obligationsAfter([...created, rejected]).owed()).toEqual([]);
  });

  it('releases what a closed batch still holds, and gives its payments back', () => {
    const pending = created.filter((event) => event.type !== 'PaymentSentToBank');
    const cancelled = {
      type: 'BatchCancelled',
      data: { batchId, reason: 'wrong', cancelledBy: 'maker', wasApproved: true, at },
    };
    const owed = obligationsAfter([...pending, cancelled]).owed();
    expect(owed.map((obligation) => obligation.kind).sort()).toEqual(['give-back', 'give-back', 'release']);
    const release = owed.find((obligation) => obligation.kind === 'release') as Extract<
      BatchObligation,
      { kind: 'release' }
    >;
    expect(
      run({
        type: 'ReleaseBudget',
        data: { programmeId, releaseId: release.releaseId, reservationId, amount: release.amount, reason: 'closed' },
      }).map((event) => event.type),
    ).toEqual(['BudgetReleased']);
  });
});
