import type { Kysely } from 'kysely';
import type { EngineTables, ReadModelDatabase } from '@salur/projections';

/**
 * The beneficiary list as rows. NIK, KK and account numbers are strings (a Papua NIK exceeds
 * 2^53); instants are ISO-8601 UTC strings. Personal data is masked on the way out, by role.
 */
export const BENEFICIARIES_TABLE = 'beneficiaries';

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

type Stored<Row> = { -readonly [Column in keyof Row]: Row[Column] } & { lastPosition: number };

export type BeneficiariesTables = { beneficiaries: Stored<BeneficiaryRow> };

export type BeneficiariesDatabase = Kysely<EngineTables & BeneficiariesTables>;

export function beneficiariesDatabase(db: ReadModelDatabase): BeneficiariesDatabase {
  return db.withTables<BeneficiariesTables>();
}
