import type { Kysely } from 'kysely';
import type { EngineTables, ReadModelDatabase } from '@salur/projections';

/**
 * The beneficiary list as rows. NIK, KK, name, account number and holder name are kept as the
 * event store holds them (`sealed…`: a sealed envelope's JSON, see storedText in
 * libs/personal-data), never in clear; the NIK and KK also as keyed search keys, to find a record
 * by a number given in full. BeneficiaryQueries opens them for the reader. Instants are ISO-8601
 * UTC strings.
 */
export const BENEFICIARIES_TABLE = 'beneficiaries';

/** Statuses this read model sets; a status added by a newer event is kept as the text it is. */
/** `erased`: exited, then erased (its personal fields read '[erased]'). */
export type BeneficiaryStatus = 'active' | 'suspended' | 'exited' | 'erased';

export type BeneficiaryRow = {
  readonly id: string;
  readonly programmeId: string;
  /** Search keys (PersonalDataVault.searchKey); null once the subject's data was erased. */
  readonly nikSearchKey: string | null;
  readonly kkSearchKey: string | null;
  readonly sealedNik: string | null;
  readonly sealedKk: string | null;
  readonly sealedName: string | null;
  readonly regionCode: string;
  readonly bankCode: string;
  readonly sealedAccountNumber: string | null;
  readonly sealedAccountHolderName: string | null;
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
