import {
  conflict,
  formatAmount,
  notFound,
  parsePositiveAmount,
  ruleBroken,
  type Amount,
  type Decider,
} from '@salur/kernel';
import { budgetOf, stillReserved } from './programme.budget';
import type {
  CreateProgramme,
  DeclareProgrammeSchedule,
  ProgrammeCommand,
  RaiseBudgetCeiling,
  ReleaseBudget,
  ReserveBudget,
  DeclareApprovalPolicy,
} from './programme.commands';
import { PROGRAMME_EVENTS, type ProgrammeEvent } from './programme.events';
import { evolveProgramme } from './programme.evolve';
import {
  PROGRAMME_NAME_MAX_LENGTH,
  REASON_MAX_LENGTH,
  parseCurrency,
  parseFiscalYear,
  parseProgrammeCode,
  requireDerivedProgrammeId,
} from './programme.rules';
import { parseScheduleRequest, periodsOfSchedule } from './programme.schedule';
import { initialProgrammeState, type ActiveProgramme, type ProgrammeState } from './programme.state';
import { DEFAULT_APPROVAL_POLICY, parseIdentifier, parseText } from '@salur/kernel';
import { parseApprovalPolicy, samePolicy } from './approval-policy.rules';
import { DEFAULT_PERSONAL_DATA_RETENTION, parsePersonalDataRetention } from './personal-data-retention';

/*
 * Each decision first checks the command's own data (400), then the state (404, 409, 422):
 * a malformed request is reported as malformed whatever the stream holds.
 */

export function decideProgramme(command: ProgrammeCommand, state: ProgrammeState): ProgrammeEvent[] {
  switch (command.type) {
    case 'CreateProgramme':
      return createProgramme(command, state);
    case 'DeclareProgrammeSchedule':
      return declareSchedule(command, state);
    case 'DeclareApprovalPolicy':
      return declareApprovalPolicy(command, state);
    case 'RaiseBudgetCeiling':
      return raiseBudgetCeiling(command, state);
    case 'ReserveBudget':
      return reserveBudget(command, state);
    case 'ReleaseBudget':
      return releaseBudget(command, state);
  }
}

export const programmeDecider: Decider<ProgrammeCommand, ProgrammeState, ProgrammeEvent> = {
  initialState: initialProgrammeState,
  events: PROGRAMME_EVENTS,
  decide: decideProgramme,
  evolve: evolveProgramme,
};

function createProgramme({ data, context }: CreateProgramme, state: ProgrammeState): ProgrammeEvent[] {
  const code = parseProgrammeCode(data.code);
  const fiscalYear = parseFiscalYear(data.fiscalYear);
  const programmeId = requireDerivedProgrammeId(data.programmeId, code, fiscalYear);
  const name = parseText(data.name, 'name', 'INVALID_NAME', PROGRAMME_NAME_MAX_LENGTH);
  const currency = parseCurrency(data.currency);
  const budgetCeiling = parsePositiveAmount(data.budgetCeiling, 'budgetCeiling');
  const benefitAmount = parsePositiveAmount(data.benefitAmount, 'benefitAmount');
  const schedule = parseScheduleRequest(data.schedule);
  const approvalPolicy = parseApprovalPolicy(data.approvalPolicy ?? DEFAULT_APPROVAL_POLICY);
  const retention = parsePersonalDataRetention(data.personalDataRetention ?? DEFAULT_PERSONAL_DATA_RETENTION);
  if (benefitAmount.gt(budgetCeiling)) {
    throw ruleBroken(
      'BENEFIT_EXCEEDS_CEILING',
      `benefitAmount ${formatAmount(benefitAmount)} is above the budget ceiling ${formatAmount(budgetCeiling)}`,
      'benefitAmount',
    );
  }
  if (state.status !== 'absent') {
    throw conflict('PROGRAMME_EXISTS', `Programme ${programmeId} already exists`, 'programmeId');
  }
  const created = {
    programmeId,
    code,
    name,
    fiscalYear,
    currency,
    budgetCeiling: formatAmount(budgetCeiling),
    benefitAmount: formatAmount(benefitAmount),
  };
  const periods = periodsOfSchedule(schedule.kind, fiscalYear, schedule.name);
  const { userId } = context.actor;
  return [
    { type: 'ProgrammeCreated', data: { ...created, createdBy: userId, at: context.now } },
    {
      type: 'ProgrammeScheduleDeclared',
      data: { programmeId, kind: schedule.kind, periods, declaredBy: userId, at: context.now },
    },
    {
      type: 'ApprovalPolicyDeclared',
      data: { programmeId, tiers: approvalPolicy.tiers, declaredBy: userId, at: context.now },
    },
    { type: 'PersonalDataRetentionDeclared', data: { programmeId, retention, declaredBy: userId, at: context.now } },
  ];
}

/** A new policy for the batches started from now on; the same policy again changes nothing. */
function declareApprovalPolicy({ data, context }: DeclareApprovalPolicy, state: ProgrammeState): ProgrammeEvent[] {
  const approvalPolicy = parseApprovalPolicy(data.approvalPolicy);
  const programme = existing(state, data.programmeId);
  if (programme.approvalPolicy !== undefined && samePolicy(programme.approvalPolicy, approvalPolicy)) return [];
  return [
    {
      type: 'ApprovalPolicyDeclared',
      data: {
        programmeId: programme.programmeId,
        tiers: approvalPolicy.tiers,
        declaredBy: context.actor.userId,
        at: context.now,
      },
    },
  ];
}

/**
 * A schedule is declared once: changing it later could drop or overlap a period already paid,
 * and the programme stream does not see payments. A programme created before schedules were
 * declared has none and pays nothing until it declares one; its payments cannot move meanwhile,
 * so the periods they name (`usedPeriods`) are checked here against the new schedule.
 */
function declareSchedule({ data, context }: DeclareProgrammeSchedule, state: ProgrammeState): ProgrammeEvent[] {
  const request = parseScheduleRequest(data.schedule ?? null);
  const programme = existing(state, data.programmeId);
  const periods = periodsOfSchedule(request.kind, programme.fiscalYear, request.name);
  if (programme.schedule !== undefined) {
    const same = programme.schedule.kind === request.kind && programme.schedule.periods.join() === periods.join();
    if (same) return [];
    throw conflict(
      'SCHEDULE_ALREADY_DECLARED',
      `${programme.programmeId} already declared a ${programme.schedule.kind} schedule; a schedule is declared once`,
      'schedule',
    );
  }
  const dropped = data.usedPeriods.find((period) => !periods.includes(period));
  if (dropped !== undefined) {
    throw ruleBroken(
      'SCHEDULE_DROPS_USED_PERIOD',
      `Payments of ${programme.programmeId} already name period '${dropped}', which this schedule does not declare`,
      'schedule',
    );
  }
  return [
    {
      type: 'ProgrammeScheduleDeclared',
      data: {
        programmeId: programme.programmeId,
        kind: request.kind,
        periods,
        declaredBy: context.actor.userId,
        at: context.now,
      },
    },
  ];
}

function raiseBudgetCeiling({ data, context }: RaiseBudgetCeiling, state: ProgrammeState): ProgrammeEvent[] {
  const newCeiling = parsePositiveAmount(data.newCeiling, 'newCeiling');
  const reason = parseText(data.reason, 'reason', 'INVALID_REASON', REASON_MAX_LENGTH);
  const programme = existing(state, data.programmeId);
  if (!newCeiling.gt(programme.budgetCeiling)) {
    throw ruleBroken(
      'CEILING_NOT_RAISED',
      `newCeiling ${formatAmount(newCeiling)} must be above the current ceiling ${formatAmount(programme.budgetCeiling)}`,
      'newCeiling',
    );
  }
  const increase = newCeiling.minus(programme.budgetCeiling);
  return [
    {
      type: 'BudgetCeilingRaised',
      data: {
        programmeId: programme.programmeId,
        previousCeiling: formatAmount(programme.budgetCeiling),
        newCeiling: formatAmount(newCeiling),
        reason,
        remainingBudget: formatAmount(budgetOf(programme).remaining.plus(increase)),
        raisedBy: context.actor.userId,
        at: context.now,
      },
    },
  ];
}

function reserveBudget({ data, context }: ReserveBudget, state: ProgrammeState): ProgrammeEvent[] {
  const reservationId = parseIdentifier(data.reservationId, 'reservationId');
  const batchId = parseIdentifier(data.batchId, 'batchId');
  const amount = parsePositiveAmount(data.amount, 'amount');
  const programme = existing(state, data.programmeId);
  if (isRepeatedReservation(programme, reservationId, batchId, amount)) return [];
  const remaining = budgetOf(programme).remaining;
  if (amount.gt(remaining)) {
    throw ruleBroken(
      'BUDGET_EXCEEDED',
      `Reserving ${formatAmount(amount)} would exceed the ceiling of ${programme.programmeId}: ` +
        `${formatAmount(remaining)} remains`,
      'amount',
    );
  }
  return [
    {
      type: 'BudgetReserved',
      data: {
        programmeId: programme.programmeId,
        reservationId,
        batchId,
        amount: formatAmount(amount),
        remainingBudget: formatAmount(remaining.minus(amount)),
        reservedBy: context.actor.userId,
        at: context.now,
      },
    },
  ];
}

/**
 * A reservation id is used once. The same id with the same batch and amount is a retry of a
 * reservation already made (even if since released): nothing new. Anything else is a reuse.
 */
function isRepeatedReservation(
  programme: ActiveProgramme,
  reservationId: string,
  batchId: string,
  amount: Amount,
): boolean {
  const earlier = programme.reservations.get(reservationId);
  if (earlier === undefined) return false;
  if (earlier.amount.eq(amount) && earlier.batchId === batchId) return true;
  throw conflict(
    'RESERVATION_MISMATCH',
    `Reservation ${reservationId} was made for batch ${earlier.batchId} with ${formatAmount(earlier.amount)}`,
    earlier.batchId === batchId ? 'amount' : 'batchId',
  );
}

function releaseBudget({ data, context }: ReleaseBudget, state: ProgrammeState): ProgrammeEvent[] {
  const releaseId = parseIdentifier(data.releaseId, 'releaseId');
  const reservationId = parseIdentifier(data.reservationId, 'reservationId');
  const amount = parsePositiveAmount(data.amount, 'amount');
  const reason = parseText(data.reason, 'reason', 'INVALID_REASON', REASON_MAX_LENGTH);
  const programme = existing(state, data.programmeId);
  if (isRepeatedRelease(programme, releaseId, reservationId, amount)) return [];
  const reservation = programme.reservations.get(reservationId);
  if (reservation === undefined) {
    throw notFound('RESERVATION_NOT_FOUND', `Reservation ${reservationId} does not exist in ${programme.programmeId}`);
  }
  const held = stillReserved(reservation);
  if (amount.gt(held)) {
    throw ruleBroken(
      'RELEASE_EXCEEDS_RESERVATION',
      `Cannot release ${formatAmount(amount)}: reservation ${reservationId} still holds ${formatAmount(held)}`,
      'amount',
    );
  }
  return [
    {
      type: 'BudgetReleased',
      data: {
        programmeId: programme.programmeId,
        releaseId,
        reservationId,
        batchId: reservation.batchId,
        amount: formatAmount(amount),
        reason,
        remainingBudget: formatAmount(budgetOf(programme).remaining.plus(amount)),
        releasedBy: context.actor.userId,
        at: context.now,
      },
    },
  ];
}

/** As for reservations: a release id names one release; a retry changes nothing, a reuse is refused. */
function isRepeatedRelease(
  programme: ActiveProgramme,
  releaseId: string,
  reservationId: string,
  amount: Amount,
): boolean {
  const earlier = programme.releases.get(releaseId);
  if (earlier === undefined) return false;
  if (earlier.reservationId === reservationId && earlier.amount.eq(amount)) return true;
  throw conflict(
    'RELEASE_MISMATCH',
    `Release ${releaseId} already released ${formatAmount(earlier.amount)} from reservation ${earlier.reservationId}`,
    'releaseId',
  );
}

function existing(state: ProgrammeState, programmeId: string): ActiveProgramme {
  if (state.status === 'absent') throw notFound('PROGRAMME_NOT_FOUND', `Programme ${programmeId} does not exist`);
  if (state.programmeId !== programmeId) {
    // The handler loaded another programme's stream: a bug, not a request to refuse politely.
    throw new Error(`Command for programme ${programmeId} decided on the stream of ${state.programmeId}`);
  }
  return state;
}
