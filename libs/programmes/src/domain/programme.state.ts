import type { Amount } from '@salur/kernel';
import type { ApprovalPolicy } from '@salur/kernel';
import type { DeclaredSchedule } from './programme.schedule';

export interface Reservation {
  readonly reservationId: string;
  readonly batchId: string;
  readonly amount: Amount;
  /** Sum of the releases against this reservation so far; never above `amount`. */
  readonly released: Amount;
}

/** What a release id was used for, so a retry can be told apart from a reuse of the id. */
export interface AppliedRelease {
  readonly reservationId: string;
  readonly amount: Amount;
}

export interface AbsentProgramme {
  readonly status: 'absent';
}

export interface ActiveProgramme {
  readonly status: 'active';
  readonly programmeId: string;
  readonly code: string;
  readonly name: string;
  readonly fiscalYear: number;
  readonly currency: 'IDR';
  readonly budgetCeiling: Amount;
  readonly benefitAmount: Amount;
  /** Absent only for a programme created before schedules were declared, until it declares one. */
  readonly schedule?: DeclaredSchedule;
  /** The approval policy in force; absent only for a programme created before policies were declared. */
  readonly approvalPolicy?: ApprovalPolicy;
  /**
   * How long beneficiaries' personal data is kept after they leave (canonical ISO-8601 duration);
   * absent for a programme created before retention was declared (DEFAULT_PERSONAL_DATA_RETENTION applies).
   */
  readonly personalDataRetention?: string;
  /** Running totals over all reservations, so the budget check does not re-add every reservation. */
  readonly totalReserved: Amount;
  readonly totalReleased: Amount;
  readonly reservations: ReadonlyMap<string, Reservation>;
  readonly releases: ReadonlyMap<string, AppliedRelease>;
}

export type ProgrammeState = AbsentProgramme | ActiveProgramme;

export const initialProgrammeState: ProgrammeState = { status: 'absent' };

export const PROGRAMME_STREAM_PREFIX = 'programme-';

export function programmeStreamName(programmeId: string): string {
  return `${PROGRAMME_STREAM_PREFIX}${programmeId}`;
}
