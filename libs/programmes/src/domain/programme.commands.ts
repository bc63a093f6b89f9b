import type { DomainCommand as Command } from '@salur/kernel';

/**
 * Fields are typed as they arrive from outside (amounts as decimal strings, currency as any
 * string): the decider is where they are checked, so a handler may pass a request body through.
 */
export type CreateProgramme = Command<
  'CreateProgramme',
  {
    /** Must be `${code}-${fiscalYear}`, e.g. BANTU-UMAK-2026: one programme per code and year. */
    programmeId: string;
    code: string;
    name: string;
    fiscalYear: number;
    budgetCeiling: string;
    benefitAmount: string;
    currency: string;
    /** `{ kind: 'monthly' | 'quarterly' | 'one-off', name? }`; absent: monthly. */
    schedule?: unknown;
    /**
     * The approval tiers; the handler passes the deployment's (APPROVAL_TIERS) when the request
     * names none; absent: the kernel's default (one approver up to Rp 500 million, two above).
     */
    approvalPolicy?: unknown;
    /** ISO-8601 duration kept after a beneficiary exits; absent: DEFAULT_PERSONAL_DATA_RETENTION. */
    personalDataRetention?: unknown;
  }
>;

/** A new approval policy, for the batches started from now on. */
export type DeclareApprovalPolicy = Command<'DeclareApprovalPolicy', { programmeId: string; approvalPolicy: unknown }>;

/**
 * For a programme created before schedules were declared: it declares one once. The periods its
 * payments already name (read from the log by the handler) must all be among the declared ones.
 */
export type DeclareProgrammeSchedule = Command<
  'DeclareProgrammeSchedule',
  { programmeId: string; schedule: unknown; usedPeriods: readonly string[] }
>;

export type RaiseBudgetCeiling = Command<
  'RaiseBudgetCeiling',
  { programmeId: string; newCeiling: string; reason: string }
>;

export type ReserveBudget = Command<
  'ReserveBudget',
  { programmeId: string; reservationId: string; amount: string; batchId: string }
>;

export type ReleaseBudget = Command<
  'ReleaseBudget',
  {
    programmeId: string;
    /** Names this release, so a retried release is recognised and applied once. */
    releaseId: string;
    reservationId: string;
    amount: string;
    reason: string;
  }
>;

export type ProgrammeCommand =
  | CreateProgramme
  | DeclareProgrammeSchedule
  | DeclareApprovalPolicy
  | RaiseBudgetCeiling
  | ReserveBudget
  | ReleaseBudget;
