import { Inject, Injectable } from '@nestjs/common';
import { invalid } from '@salur/kernel';
import { openStoredRows, PersonalDataVault } from '@salur/personal-data';
import { READ_MODEL_DATABASE, type ReadModelDatabase } from '@salur/projections';
import {
  type BeneficiaryRow,
  type BeneficiaryStatus,
  type BeneficiariesDatabase,
  beneficiariesDatabase,
} from './beneficiaries.tables';
import { Page, PageRequest, readPage } from '@salur/projections';

/**
 * A beneficiary as the list shows it, personal data opened: clear, or '[erased]' once the
 * beneficiary's key was erased. Not masked yet: the caller masks it for the viewer.
 */
export type BeneficiaryView = Omit<
  BeneficiaryRow,
  | 'nikSearchKey'
  | 'kkSearchKey'
  | 'sealedNik'
  | 'sealedKk'
  | 'sealedName'
  | 'sealedAccountNumber'
  | 'sealedAccountHolderName'
> & {
  readonly nik: string;
  readonly kk: string;
  readonly name: string;
  readonly accountNumber: string;
  readonly accountHolderName: string;
};

export interface BeneficiaryFilter {
  readonly programmeId?: string;
  readonly status?: BeneficiaryStatus;
  /** The start of a Kemendagri region code: `16` (province), `16.06` (regency), `16.06.01` (district)… */
  readonly regionCodePrefix?: string;
  /**
   * A NIK or KK given in full, found by its search key (the rows hold no clear number). Searching is
   * a read of personal data: the route checks who may, and records it.
   */
  readonly nik?: string;
  readonly kk?: string;
}

/** Digits and dots only: neither is a LIKE wildcard, so the prefix needs no escaping. */
const REGION_PREFIX = /^[0-9.]{1,13}$/;
const SIXTEEN_DIGITS = /^[0-9]{16}$/;

const COLUMNS = [
  'id',
  'programmeId',
  'sealedNik',
  'sealedKk',
  'sealedName',
  'regionCode',
  'bankCode',
  'sealedAccountNumber',
  'sealedAccountHolderName',
  'status',
  'enrolledAt',
  'updatedAt',
] as const satisfies readonly (keyof BeneficiaryRow)[];

type ListedRow = Pick<BeneficiaryRow, (typeof COLUMNS)[number]>;

/** Enrolments, in enrolment order. */
@Injectable()
export class BeneficiaryQueries {
  private readonly db: BeneficiariesDatabase;

  constructor(
    @Inject(READ_MODEL_DATABASE) db: ReadModelDatabase,
    private readonly vault: PersonalDataVault,
  ) {
    this.db = beneficiariesDatabase(db);
  }

  async getById(id: string): Promise<BeneficiaryView | undefined> {
    const row = await this.db.selectFrom('beneficiaries').select(COLUMNS).where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : (await this.opened([row]))[0];
  }

  async list(filter: BeneficiaryFilter = {}, page: PageRequest = {}): Promise<Page<BeneficiaryView>> {
    const { programmeId, status, regionCodePrefix } = filter;
    if (regionCodePrefix !== undefined && !REGION_PREFIX.test(regionCodePrefix)) {
      throw invalid(
        'INVALID_REGION_PREFIX',
        'regionCodePrefix must be digits and dots, e.g. 16.06',
        'regionCodePrefix',
      );
    }
    const nikKey = this.searchKey('nik', filter.nik);
    const kkKey = this.searchKey('kk', filter.kk);
    const rows = await readPage(
      page,
      (after, limit) => {
        let query = this.db.selectFrom('beneficiaries').select(COLUMNS);
        if (programmeId !== undefined) query = query.where('programmeId', '=', programmeId);
        if (status !== undefined) query = query.where('status', '=', status);
        if (regionCodePrefix !== undefined) query = query.where('regionCode', 'like', `${regionCodePrefix}%`);
        if (nikKey !== undefined) query = query.where('nikSearchKey', '=', nikKey);
        if (kkKey !== undefined) query = query.where('kkSearchKey', '=', kkKey);
        if (after !== undefined) {
          query = query.where((eb) => eb(eb.refTuple('enrolledAt', 'id'), '>', eb.tuple(after[0], after[1])));
        }
        return query.orderBy('enrolledAt').orderBy('id').limit(limit).execute();
      },
      (row) => row.enrolledAt,
      (row) => row,
    );
    return { nextCursor: rows.nextCursor, items: await this.opened(rows.items) };
  }

  /** Only a whole number is looked up: a prefix or a masked guess has no search key to match. */
  private searchKey(kind: 'nik' | 'kk', value: string | undefined): string | undefined {
    if (value === undefined) return undefined;
    if (!SIXTEEN_DIGITS.test(value)) throw invalid(`INVALID_${kind.toUpperCase()}`, `${kind} must be 16 digits`, kind);
    return this.vault.searchKey(kind, value);
  }

  /** The page's personal fields opened with one key look-up. */
  private async opened(rows: readonly ListedRow[]): Promise<BeneficiaryView[]> {
    const opened = await openStoredRows(this.vault, rows, (row) => [
      row.sealedNik,
      row.sealedKk,
      row.sealedName,
      row.sealedAccountNumber,
      row.sealedAccountHolderName,
    ]);
    return rows.map((row, index) => {
      const [nik, kk, name, accountNumber, accountHolderName] = opened[index].map((value) => value ?? '');
      const { id, programmeId, regionCode, bankCode, status, enrolledAt, updatedAt } = row;
      return {
        id,
        programmeId,
        nik,
        kk,
        name,
        regionCode,
        bankCode,
        accountNumber,
        accountHolderName,
        status,
        enrolledAt,
        updatedAt,
      };
    });
  }
}
