import type { CommandContext } from '@salur/kernel';
import type {
  BudgetReleased,
  BudgetReserved,
  ProgrammeCreated,
  ApprovalPolicyDeclared,
  PersonalDataRetentionDeclared,
  ProgrammeScheduleDeclared,
} from './programme.events';
import { periodsOfSchedule, type ScheduleKind } from './programme.schedule';
import { DEFAULT_APPROVAL_POLICY } from '@salur/kernel';

/** Shared by the programme specs: one officer, one instant, one programme. */
export const PROGRAMME_ID = 'BANTU-UMAK-2026';
export const OFFICER = 'programme-officer-7';
export const NOW = '2026-11-26T03:00:00.000Z';
export const context: CommandContext = { actor: { userId: OFFICER, role: 'programme-officer' }, now: NOW };

export function programmeCreated(budgetCeiling = '1000000.00'): ProgrammeCreated {
  return {
    type: 'ProgrammeCreated',
    data: {
      programmeId: PROGRAMME_ID,
      code: 'BANTU-UMAK',
      name: 'Bantuan Usaha Mikro Anak Muda',
      fiscalYear: 2026,
      currency: 'IDR',
      budgetCeiling,
      benefitAmount: '600000.00',
      createdBy: OFFICER,
      at: NOW,
    },
  };
}

/** The schedule CreateProgramme declares with the programme: monthly unless asked otherwise. */
/** The policy a programme declares with its creation when the request names none (the kernel's default). */
export function policyDeclared(): ApprovalPolicyDeclared {
  return {
    type: 'ApprovalPolicyDeclared',
    data: { programmeId: PROGRAMME_ID, tiers: DEFAULT_APPROVAL_POLICY.tiers, declaredBy: OFFICER, at: NOW },
  };
}

/** The retention a programme declares with its creation when the request names none (P10Y). */
export function retentionDeclared(retention = 'P10Y'): PersonalDataRetentionDeclared {
  return {
    type: 'PersonalDataRetentionDeclared',
    data: { programmeId: PROGRAMME_ID, retention, declaredBy: OFFICER, at: NOW },
  };
}

export function scheduleDeclared(kind: ScheduleKind = 'monthly', name?: string): ProgrammeScheduleDeclared {
  return {
    type: 'ProgrammeScheduleDeclared',
    data: {
      programmeId: PROGRAMME_ID,
      kind,
      periods: periodsOfSchedule(kind, 2026, name),
      declaredBy: OFFICER,
      at: NOW,
    },
  };
}

export function budgetReserved(
  reservationId: string,
  amount: string,
  remainingBudget: string,
  batchId = `batch-of-${reservationId}`,
): BudgetReserved {
  return {
    type: 'BudgetReserved',
    data: { programmeId: PROGRAMME_ID, reservationId, batchId, amount, remainingBudget, reservedBy: OFFICER, at: NOW },
  };
}

export function budgetReleased(
  releaseId: string,
  reservationId: string,
  amount: string,
  remainingBudget: string,
): BudgetReleased {
  return {
    type: 'BudgetReleased',
    data: {
      programmeId: PROGRAMME_ID,
      releaseId,
      reservationId,
      batchId: `batch-of-${reservationId}`,
      amount,
      reason: 'batch cancelled',
      remainingBudget,
      releasedBy: OFFICER,
      at: NOW,
    },
  };
}
