import fc from 'fast-check';
import { BatchCommand, batchDecider, BatchEvent, BatchItem, BatchObligations, BatchState } from '@salur/batches/domain';
import type { RecordedEvent } from '@salur/event-store';
import { formatAmount, type ApprovalPolicy } from '@salur/kernel';
import { BUDGET_TABLES, budgetProjection } from '@salur/programmes';
import { projectInMemory } from '@salur/projections';
import { EventInvariants, LoggedEvent } from '@salur/invariants';
import { CommandContext, Decider, DomainError, DomainEvent } from '@salur/kernel';
import { PaymentCommand, paymentDecider, paymentIdFor, PaymentState } from '@salur/payments/domain';
import { budgetOf, programmeDecider, ProgrammeState, stillReserved } from '@salur/programmes/domain';

/**
 * Random command sequences against the real deciders, wired as the handlers wire them (the
 * final approval reserves budget first; closing a batch unbatches and releases). Whatever the
 * sequence, refusals are DomainErrors (never a crash) and the resulting log passes the
 * invariant checker: no second payment, no unflagged deduction, no reservation past the
 * ceiling, no maker approving, batch totals right, revisions gapless.
 */
const programmeId = 'PKH-2026';
const period = '2026-11';
const users = ['maker', 'approver-1', 'approver-2'] as const;
const beneficiaries = ['a', 'b', 'c', 'd'].map((letter) => `00000000-0000-4000-8000-00000000000${letter}`);
const policy: ApprovalPolicy = {
  tiers: [
    { upTo: '600000.00', approvers: 1 },
    { upTo: null, approvers: 2 },
  ],
};
const at = '2026-11-26T08:00:00.000Z';
const accountOf = (index: number, attempt: number) => ({
  bankCode: '002',
  accountNumber: `00190100${index}00000${attempt}`,
  accountHolderName: `PENERIMA ${index}`,
});

class MemoryLedger {
  readonly log: LoggedEvent[] = [];
  private readonly streams = new Map<string, DomainEvent[]>();

  state<C, S, E extends DomainEvent>(stream: string, decider: Decider<C, S, E>): S {
    return ((this.streams.get(stream) ?? []) as E[]).reduce(decider.evolve, decider.initialState);
  }

  /** Decides and appends; a refusal is swallowed, anything else is a bug and fails the property. */
  run<C, S, E extends DomainEvent>(stream: string, decider: Decider<C, S, E>, command: C): readonly E[] {
    try {
      const events = decider.decide(command, this.state(stream, decider));
      this.append(stream, events);
      return events;
    } catch (error) {
      if (error instanceof DomainError) return [];
      throw error;
    }
  }

  append(stream: string, events: readonly DomainEvent[]): void {
    const existing = this.streams.get(stream) ?? [];
    for (const event of events) {
      this.log.push({
        streamName: stream,
        revision: existing.length,
        position: this.log.length + 1,
        type: event.type,
        data: event.data as LoggedEvent['data'],
      });
      existing.push(event);
    }
    this.streams.set(stream, existing);
  }
}

type Step =
  | { kind: 'schedule'; beneficiary: number }
  | { kind: 'batch'; maker: number; beneficiaries: number[] }
  | { kind: 'approve'; batch: number; approver: number; stale: boolean }
  | { kind: 'remove'; batch: number }
  | { kind: 'close'; batch: number; by: number; how: 'RejectBatch' | 'CancelBatch' }
  | { kind: 'send'; batch: number }
  | { kind: 'credit'; beneficiary: number; shortBy: '0.00' | '1000.00' | '600000.00' }
  | { kind: 'bankReject'; beneficiary: number }
  | { kind: 'reissue'; beneficiary: number };

const index = (max: number) => fc.integer({ min: 0, max: max - 1 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('schedule' as const), beneficiary: index(4) }),
  fc.record({
    kind: fc.constant('batch' as const),
    maker: index(3),
    beneficiaries: fc.uniqueArray(index(4), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ kind: fc.constant('approve' as const), batch: index(4), approver: index(3), stale: fc.boolean() }),
  fc.record({ kind: fc.constant('remove' as const), batch: index(4) }),
  fc.record({
    kind: fc.constant('close' as const),
    batch: index(4),
    by: index(3),
    how: fc.constantFrom('RejectBatch' as const, 'CancelBatch' as const),
  }),
  fc.record({ kind: fc.constant('send' as const), batch: index(4) }),
  fc.record({
    kind: fc.constant('credit' as const),
    beneficiary: index(4),
    shortBy: fc.constantFrom('0.00' as const, '1000.00' as const, '600000.00' as const),
  }),
  fc.record({ kind: fc.constant('bankReject' as const), beneficiary: index(4) }),
  fc.record({ kind: fc.constant('reissue' as const), beneficiary: index(4) }),
);

/**
 * What the service's workflow pass does between commands (BatchWorkflows): every obligation the
 * log shows is settled through the same deciders, with no grace.
 */
function settle(ledger: MemoryLedger, context: CommandContext): void {
  const obligations = new BatchObligations();
  for (const event of ledger.log) obligations.observe(event);
  for (const owed of obligations.owed()) {
    if (owed.kind === 'give-back') {
      ledger.run(`payment-${owed.paymentId}`, paymentDecider, {
        type: 'UnbatchPayment',
        data: { paymentId: owed.paymentId, batchId: owed.batchId, reason: 'settled' },
        context,
      });
    } else if (owed.kind === 'release') {
      ledger.run(`programme-${owed.programmeId}`, programmeDecider, {
        type: 'ReleaseBudget',
        data: {
          programmeId: owed.programmeId,
          releaseId: owed.releaseId,
          reservationId: owed.reservationId,
          amount: owed.amount,
          reason: 'settled',
        },
        context,
      });
    }
  }
}

function play(steps: readonly Step[]): MemoryLedger {
  const ledger = new MemoryLedger();
  const context = (user: number): CommandContext => ({
    actor: { userId: users[user], role: 'finance-officer' },
    now: at,
  });
  const paymentOf = (beneficiary: number) => paymentIdFor(programmeId, period, beneficiaries[beneficiary]);
  const batchIds: string[] = [];
  const pay = (beneficiary: number, command: Omit<PaymentCommand, 'context'>, user = 0) =>
    ledger.run(`payment-${paymentOf(beneficiary)}`, paymentDecider, {
      ...command,
      context: context(user),
    } as PaymentCommand);
  const batch = (batchId: string, command: Omit<BatchCommand, 'context'>, user: number) =>
    ledger.run(`batch-${batchId}`, batchDecider, { ...command, context: context(user) } as BatchCommand);
  const batchState = (slot: number): BatchState | undefined =>
    batchIds[slot] ? ledger.state(`batch-${batchIds[slot]}`, batchDecider) : undefined;
  const paymentState = (beneficiary: number): PaymentState =>
    ledger.state(`payment-${paymentOf(beneficiary)}`, paymentDecider);
  const itemOf = (beneficiary: number, state = paymentState(beneficiary)): BatchItem => ({
    paymentId: paymentOf(beneficiary),
    beneficiaryId: beneficiaries[beneficiary],
    amount: '600000.00',
    account: state.status !== 'absent' && state.account ? state.account : accountOf(beneficiary, 1),
  });

  ledger.run(`programme-${programmeId}`, programmeDecider, {
    type: 'CreateProgramme',
    data: {
      programmeId,
      code: 'PKH',
      name: 'PKH',
      fiscalYear: 2026,
      budgetCeiling: '1800000.00',
      benefitAmount: '600000.00',
      currency: 'IDR',
      approvalPolicy: policy,
    },
    context: context(0),
  });

  for (const next of steps) {
    settle(ledger, context(0));
    switch (next.kind) {
      case 'schedule':
        pay(next.beneficiary, {
          type: 'SchedulePayment',
          data: {
            paymentId: paymentOf(next.beneficiary),
            programmeId,
            period,
            beneficiaryId: beneficiaries[next.beneficiary],
            amount: '600000.00',
          },
        });
        break;
      case 'batch': {
        const batchId = `batch-${batchIds.length}`;
        const ready = next.beneficiaries.filter((b) => ['scheduled', 'reissued'].includes(paymentState(b).status));
        if (ready.length === 0 || batchIds.length === 4) break;
        const items = ready.map((b) => {
          const state = paymentState(b);
          const attempt = state.status === 'absent' ? 1 : state.attempt;
          return { ...itemOf(b), account: accountOf(b, attempt) };
        });
        batch(
          batchId,
          {
            type: 'StartBatchCreation',
            data: {
              batchId,
              programmeId,
              period,
              items,
              policy,
              maxPayments: 10,
              expiresAt: '2026-12-01T00:00:00.000Z',
            },
          },
          next.maker,
        );
        for (const item of items) {
          ledger.run(`payment-${item.paymentId}`, paymentDecider, {
            type: 'BatchPayment',
            data: { paymentId: item.paymentId, batchId, account: item.account },
            context: context(next.maker),
          });
        }
        batch(batchId, { type: 'CreateBatch', data: { batchId, items } }, next.maker);
        batchIds.push(batchId);
        break;
      }
      case 'approve': {
        const state = batchState(next.batch);
        if (!state || state.status === 'absent') break;
        const contentHash = next.stale ? '0'.repeat(64) : state.contentHash;
        const command = {
          type: 'ApproveBatch',
          data: { batchId: state.batchId, contentHash },
          context: context(next.approver),
        } as BatchCommand;
        let events: readonly BatchEvent[];
        try {
          events = batchDecider.decide(command, state);
        } catch (error) {
          if (error instanceof DomainError) break;
          throw error;
        }
        if (events.some((event) => event.type === 'BatchApproved')) {
          const reserved = ledger.run(`programme-${programmeId}`, programmeDecider, {
            type: 'ReserveBudget',
            data: {
              programmeId,
              reservationId: `${state.batchId}:${state.contentHash}`,
              amount: state.controlSum,
              batchId: state.batchId,
            },
            context: context(next.approver),
          });
          const programme: ProgrammeState = ledger.state(`programme-${programmeId}`, programmeDecider);
          const held =
            programme.status === 'active' && programme.reservations.has(`${state.batchId}:${state.contentHash}`);
          if (reserved.length === 0 && !held) break;
        }
        ledger.append(`batch-${state.batchId}`, events);
        break;
      }
      case 'remove': {
        const state = batchState(next.batch);
        if (!state || state.status !== 'pending' || state.payments.length < 2) break;
        const [removed, ...rest] = state.payments;
        const remainingItems = rest.map((line) =>
          itemOf(beneficiaries.findIndex((_, b) => paymentOf(b) === line.paymentId)),
        );
        const changed = batch(
          state.batchId,
          {
            type: 'RemovePaymentsFromBatch',
            data: {
              batchId: state.batchId,
              paymentIds: [removed.paymentId],
              remainingItems,
              policy,
              reason: 'account under review',
            },
          },
          0,
        );
        if (changed.length > 0) {
          ledger.run(`payment-${removed.paymentId}`, paymentDecider, {
            type: 'UnbatchPayment',
            data: { paymentId: removed.paymentId, batchId: state.batchId, reason: 'removed' },
            context: context(0),
          });
        }
        break;
      }
      case 'close': {
        const state = batchState(next.batch);
        if (!state || state.status === 'absent') break;
        batch(
          state.batchId,
          { type: next.how, data: { batchId: state.batchId, reason: 'closed by a random test' } },
          next.by,
        );
        const after = batchState(next.batch);
        if (!after || after.status === 'absent' || !['rejected', 'cancelled'].includes(after.status)) break;
        for (const line of after.payments) {
          ledger.run(`payment-${line.paymentId}`, paymentDecider, {
            type: 'UnbatchPayment',
            data: { paymentId: line.paymentId, batchId: after.batchId, reason: 'closed' },
            context: context(next.by),
          });
        }
        const programme = ledger.state(`programme-${programmeId}`, programmeDecider);
        if (programme.status !== 'active') break;
        for (const reservation of programme.reservations.values()) {
          if (reservation.batchId !== after.batchId || stillReserved(reservation).isZero()) continue;
          ledger.run(`programme-${programmeId}`, programmeDecider, {
            type: 'ReleaseBudget',
            data: {
              programmeId,
              releaseId: `${reservation.reservationId}:released`,
              reservationId: reservation.reservationId,
              amount: stillReserved(reservation).toFixed(2),
              reason: 'closed',
            },
            context: context(next.by),
          });
        }
        break;
      }
      case 'send': {
        const state = batchState(next.batch);
        if (!state || state.status !== 'approved') break;
        for (const line of state.payments) {
          ledger.run(`payment-${line.paymentId}`, paymentDecider, {
            type: 'MarkPaymentSent',
            data: { paymentId: line.paymentId, batchId: state.batchId },
            context: context(0),
          });
        }
        break;
      }
      case 'credit': {
        const state = paymentState(next.beneficiary);
        if (state.status !== 'sent') break;
        const credited = (600000 - Number(next.shortBy)).toFixed(2);
        pay(next.beneficiary, {
          type: 'RecordCredit',
          data: {
            paymentId: state.paymentId,
            batchId: state.batchId,
            creditedAmount: credited,
            bankReference: `REF-${state.paymentId.slice(0, 8)}`,
            valueDate: '2026-11-27',
          },
        });
        break;
      }
      case 'bankReject': {
        const state = paymentState(next.beneficiary);
        if (state.status !== 'sent') break;
        pay(next.beneficiary, {
          type: 'RecordRejection',
          data: { paymentId: state.paymentId, batchId: state.batchId, reasonCode: 'AC04' },
        });
        break;
      }
      case 'reissue': {
        const state = paymentState(next.beneficiary);
        if (state.status === 'absent') break;
        pay(next.beneficiary, {
          type: 'ReissuePayment',
          data: { paymentId: state.paymentId, account: accountOf(next.beneficiary, state.attempt + 1) },
        });
        break;
      }
    }
  }
  settle(ledger, context(0));
  return ledger;
}

/** The budget as the read model shows it (the projection, folded in memory from the log). */
function budgetReadModelOf(ledger: MemoryLedger) {
  const recorded: RecordedEvent[] = ledger.log.map((event) => ({
    ...event,
    id: `00000000-0000-4000-8000-${String(event.position).padStart(12, '0')}`,
    recordedAt: at,
    data: event.data as RecordedEvent['data'],
    metadata: {},
  }));
  const row = projectInMemory(budgetProjection, recorded).get(BUDGET_TABLES.programmes)?.get(programmeId)?.row;
  return row === undefined ? undefined : { reserved: row.reserved, released: row.released, remaining: row.remaining };
}

/** The same figures from the programme's own decider state: the fold the rules decide on. */
function budgetFoldOf(ledger: MemoryLedger) {
  const programme = ledger.state(`programme-${programmeId}`, programmeDecider);
  if (programme.status !== 'active') return undefined;
  const budget = budgetOf(programme);
  return {
    reserved: formatAmount(budget.reserved),
    released: formatAmount(budget.released),
    remaining: formatAmount(budget.remaining),
  };
}

/*
 * The budget property (issue 12): with the workflows settled between commands, a rejection, return,
 * cancellation or expiry releases exactly what it reserved and a reissue reserves again (the
 * checker's budget-matches-approvals rule), and the budget read model equals the fold of the log.
 */
describe('random command sequences never break an invariant', () => {
  /** Plays random sequences; returns every event type the runs produced. */
  function assertInvariantsHold(parameters: fc.Parameters<[Step[]]>): Set<string> {
    const seen = new Set<string>();
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60, size: 'max' }), (steps) => {
        const ledger = play(steps);
        for (const event of ledger.log) seen.add(event.type);
        const checker = new EventInvariants();
        for (const event of ledger.log) checker.observe(event);
        expect(checker.finish().violations).toEqual([]);
        expect(budgetReadModelOf(ledger)).toEqual(budgetFoldOf(ledger));
      }),
      parameters,
    );
    return seen;
  }

  it('holds for 300 random sequences of up to 60 commands', () => {
    assertInvariantsHold({ numRuns: 300 });
  });

  it('reaches the interesting corners, not just refusals (a fixed seed, so this cannot flake)', () => {
    const seen = assertInvariantsHold({ numRuns: 2_000, seed: 20261126 });
    const corners = [
      'BatchApproved',
      'BatchChanged',
      'BatchCancelled',
      'BatchRejected',
      'BudgetReleased',
      'PaymentCredited',
      'PaymentDeductionFlagged',
      'PaymentRejected',
      'PaymentReissued',
    ];
    expect(corners.filter((type) => !seen.has(type))).toEqual([]);
  });

  it('is able to fail: the same checker flags a run where the budget rule is bypassed', () => {
    const ledger = play([]);
    ledger.append(`programme-${programmeId}`, [
      {
        type: 'BudgetReserved',
        data: { programmeId, reservationId: 'forged', amount: '1800000.01', batchId: 'forged' },
      },
    ]);
    const checker = new EventInvariants();
    for (const event of ledger.log) checker.observe(event);
    // Past the ceiling, and held for a batch no approval holds.
    expect(checker.finish().violations.map((violation) => violation.invariant)).toEqual([
      'budget-within-ceiling',
      'budget-matches-approvals',
    ]);
  });
});
