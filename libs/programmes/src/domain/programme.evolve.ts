import { amountOf } from '@salur/kernel';
import type { BudgetCeilingRaised, BudgetReleased, BudgetReserved, ProgrammeEvent } from './programme.events';
import type { ActiveProgramme, ProgrammeState } from './programme.state';

export function evolveProgramme(state: ProgrammeState, event: ProgrammeEvent): ProgrammeState {
  switch (event.type) {
    case 'ProgrammeCreated': {
      const { programmeId, code, name, fiscalYear, currency, budgetCeiling, benefitAmount } = event.data;
      const zero = amountOf('0');
      return {
        status: 'active',
        programmeId,
        code,
        name,
        fiscalYear,
        currency,
        budgetCeiling: amountOf(budgetCeiling),
        benefitAmount: amountOf(benefitAmount),
        totalReserved: zero,
        totalReleased: zero,
        reservations: new Map(),
        releases: new Map(),
      };
    }
    case 'ProgrammeScheduleDeclared':
      return { ...existing(state, event), schedule: { kind: event.data.kind, periods: event.data.periods } };
    case 'ApprovalPolicyDeclared':
      return { ...existing(state, event), approvalPolicy: { tiers: event.data.tiers } };
    case 'PersonalDataRetentionDeclared':
      return { ...existing(state, event), personalDataRetention: event.data.retention };
    case 'BudgetCeilingRaised':
      return ceilingRaised(existing(state, event), event);
    case 'BudgetReserved':
      return budgetReserved(existing(state, event), event);
    case 'BudgetReleased':
      return budgetReleased(existing(state, event), event);
  }
}

function ceilingRaised(programme: ActiveProgramme, event: BudgetCeilingRaised): ActiveProgramme {
  return { ...programme, budgetCeiling: amountOf(event.data.newCeiling) };
}

function budgetReserved(programme: ActiveProgramme, { data }: BudgetReserved): ActiveProgramme {
  const amount = amountOf(data.amount);
  const reservation = { reservationId: data.reservationId, batchId: data.batchId, amount, released: amountOf('0') };
  return {
    ...programme,
    totalReserved: programme.totalReserved.plus(amount),
    reservations: new Map(programme.reservations).set(data.reservationId, reservation),
  };
}

function budgetReleased(programme: ActiveProgramme, { data }: BudgetReleased): ActiveProgramme {
  const amount = amountOf(data.amount);
  const reservation = programme.reservations.get(data.reservationId);
  if (reservation === undefined) {
    throw new Error(`BudgetReleased for unknown reservation '${data.reservationId}' in ${programme.programmeId}`);
  }
  const updated = { ...reservation, released: reservation.released.plus(amount) };
  return {
    ...programme,
    totalReleased: programme.totalReleased.plus(amount),
    reservations: new Map(programme.reservations).set(data.reservationId, updated),
    releases: new Map(programme.releases).set(data.releaseId, { reservationId: data.reservationId, amount }),
  };
}

/** Only ProgrammeCreated may start a stream; anything else first means a corrupt stream, a bug. */
function existing(state: ProgrammeState, event: ProgrammeEvent): ActiveProgramme {
  if (state.status === 'absent') throw new Error(`${event.type} before ProgrammeCreated`);
  return state;
}
