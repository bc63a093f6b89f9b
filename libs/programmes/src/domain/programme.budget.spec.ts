import { DomainError, formatAmount, fold } from '@salur/kernel';
import fc from 'fast-check';
import { budgetOf, reservationOf, stillReserved } from './programme.budget';
import type { ProgrammeCommand } from './programme.commands';
import { programmeDecider } from './programme.decider';
import type { ProgrammeEvent } from './programme.events';
import { budgetReleased, budgetReserved, context, PROGRAMME_ID, programmeCreated } from './programme.fixtures';
import type { ActiveProgramme, ProgrammeState } from './programme.state';

function active(state: ProgrammeState): ActiveProgramme {
  if (state.status !== 'active') throw new Error('expected an active programme');
  return state;
}

describe('budgetOf', () => {
  it('reports ceiling, reserved, released and remaining from the facts', () => {
    const state = fold(programmeDecider, [
      programmeCreated('1000000.00'),
      budgetReserved('r1', '600000.00', '400000.00'),
      budgetReserved('r2', '300000.00', '100000.00'),
      budgetReleased('rel1', 'r1', '200000.00', '300000.00'),
    ]);
    const budget = budgetOf(active(state));
    expect(Object.fromEntries(Object.entries(budget).map(([key, amount]) => [key, formatAmount(amount)]))).toEqual({
      ceiling: '1000000.00',
      reserved: '900000.00',
      released: '200000.00',
      remaining: '300000.00',
    });
    expect(formatAmount(stillReserved(reservationOf(active(state), 'r1')!))).toBe('400000.00');
  });
});

/**
 * The DESIGN invariant "sum of reserved budget never exceeds the ceiling", checked over random
 * sequences of reservations, releases and ceiling raises: whatever is accepted or refused, the
 * open reservations stay within the ceiling and no reservation is released below zero.
 */
describe('budget invariant (property)', () => {
  // Up to Rp 600,000.00 in cents, so a few reservations can reach the Rp 1,000,000.00 ceiling.
  const amount = fc
    .integer({ min: 1, max: 60_000_000 })
    .map((cents) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`);
  const reservationId = fc.constantFrom('r1', 'r2', 'r3', 'r4');
  const command: fc.Arbitrary<ProgrammeCommand> = fc.oneof(
    fc.record({ reservationId, amount }).map(({ reservationId, amount }) => ({
      type: 'ReserveBudget' as const,
      data: { programmeId: PROGRAMME_ID, reservationId, amount, batchId: `batch-of-${reservationId}` },
      context,
    })),
    fc.record({ releaseId: fc.constantFrom('x1', 'x2', 'x3', 'x4', 'x5'), reservationId, amount }).map((data) => ({
      type: 'ReleaseBudget' as const,
      data: { programmeId: PROGRAMME_ID, reason: 'property test', ...data },
      context,
    })),
    amount.map((newCeiling) => ({
      type: 'RaiseBudgetCeiling' as const,
      data: { programmeId: PROGRAMME_ID, newCeiling, reason: 'property test' },
      context,
    })),
  );

  it('never lets open reservations pass the ceiling', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 40 }), (commands) => {
        let state = programmeDecider.evolve(programmeDecider.initialState, programmeCreated('1000000.00'));
        for (const next of commands) {
          for (const event of decideOrNothing(next, state)) state = programmeDecider.evolve(state, event);
          const programme = active(state);
          expect(budgetOf(programme).remaining.isNegative()).toBe(false);
          for (const reservation of programme.reservations.values()) {
            expect(stillReserved(reservation).isNegative()).toBe(false);
          }
        }
      }),
    );
  });
});

function decideOrNothing(command: ProgrammeCommand, state: ProgrammeState): readonly ProgrammeEvent[] {
  try {
    return programmeDecider.decide(command, state);
  } catch (error) {
    if (error instanceof DomainError) return [];
    throw error;
  }
}
