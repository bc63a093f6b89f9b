import type { Kysely } from 'kysely';
import type { EngineTables, ReadModelDatabase } from '../engine/read-model-database';

/**
 * The directory's tables, as rows in code. Money is a canonical decimal string ("600000.00"),
 * never a number; NIK, KK and account numbers are strings (a Papua NIK exceeds 2^53); instants
 * are ISO-8601 UTC strings, which sort as they read; the list of approvers is JSON text. Every
 * column is TEXT or INTEGER in both dialects, so both return the same row.
 */

export const DIRECTORY_TABLES = {
  programmes: 'directoryProgrammes',
  beneficiaries: 'directoryBeneficiaries',
  payments: 'directoryPayments',
  batches: 'directoryBatches',
} as const;

export type ProgrammeRow = {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly fiscalYear: number;
  readonly currency: string;
  readonly budgetCeiling: string;
  readonly benefitAmount: string;
  /** Everything ever reserved, including what was later released. */
  readonly reserved: string;
  readonly released: string;
  readonly createdAt: string;
  readonly updatedAt: string;
};

export type BeneficiaryStatus = 'active' | 'suspended' | 'exited';

export type BeneficiaryRow = {
  readonly id: string;
  readonly programmeId: string;
  readonly nik: string;
  readonly kk: string;
  readonly name: string;
  readonly regionCode: string;
  readonly bankCode: string;
  readonly accountNumber: string;
  readonly accountHolderName: string;
  readonly status: BeneficiaryStatus;
  readonly enrolledAt: string;
  readonly updatedAt: string;
};

export type PaymentStatus =
  'scheduled' | 'batched' | 'sent' | 'credited' | 'rejected' | 'returned' | 'reissued' | 'reversed';

export type PaymentRow = {
  readonly id: string;
  readonly programmeId: string;
  readonly period: string;
  readonly beneficiaryId: string;
  /** The approved amount. */
  readonly amount: string;
  readonly status: PaymentStatus;
  /** The batch holding the payment now; null while it waits in the pool. */
  readonly batchId: string | null;
  readonly attempt: number;
  readonly creditedAmount: string | null;
  readonly deductedAmount: string | null;
  /** When the payment was scheduled: never changes, so it orders pages stably. */
  readonly scheduledAt: string;
  readonly updatedAt: string;
};

export type BatchStatus = 'pending' | 'approved' | 'rejected' | 'cancelled' | 'expired';

export type BatchRow = {
  readonly id: string;
  readonly programmeId: string;
  readonly period: string;
  readonly makerId: string;
  readonly status: BatchStatus;
  readonly count: number;
  readonly controlSum: string;
  readonly contentHash: string;
  readonly requiredApprovals: number;
  /** JSON array of user ids: the approvers of the current content. */
  readonly approverIds: string;
  readonly expiresAt: string;
  readonly createdAt: string;
  readonly updatedAt: string;
};

type Stored<Row> = { -readonly [Column in keyof Row]: Row[Column] } & { lastPosition: number };

/** The tables for Kysely (camelCase here, snake_case in SQL). */
export type DirectoryTables = {
  directoryProgrammes: Stored<ProgrammeRow>;
  directoryBeneficiaries: Stored<BeneficiaryRow>;
  directoryPayments: Stored<PaymentRow>;
  directoryBatches: Stored<BatchRow>;
};

/** The read-model database seen with the directory's tables. */
export type DirectoryDatabase = Kysely<EngineTables & DirectoryTables>;

export function directoryDatabase(db: ReadModelDatabase): DirectoryDatabase {
  return db.withTables<DirectoryTables>();
}
