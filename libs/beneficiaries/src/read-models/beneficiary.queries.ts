import { Inject, Injectable } from '@nestjs/common';
import { invalid } from '@salur/kernel';
import { READ_MODEL_DATABASE, type ReadModelDatabase } from '@salur/projections';
import {
  type BeneficiaryRow,
  type BeneficiaryStatus,
  type BeneficiariesDatabase,
  beneficiariesDatabase,
} from './beneficiaries.tables';
import { Page, PageRequest, readPage } from '@salur/projections';

export type BeneficiaryView = BeneficiaryRow;

export interface BeneficiaryFilter {
  readonly programmeId?: string;
  readonly status?: BeneficiaryStatus;
  /** The start of a Kemendagri region code: `16` (province), `16.06` (regency), `16.06.01` (district)… */
  readonly regionCodePrefix?: string;
  /** Exact match: a NIK is a 16-digit string, never a number. */
  readonly nik?: string;
}

/** Digits and dots only: neither is a LIKE wildcard, so the prefix needs no escaping. */
const REGION_PREFIX = /^[0-9.]{1,13}$/;

const COLUMNS = [
  'id',
  'programmeId',
  'nik',
  'kk',
  'name',
  'regionCode',
  'bankCode',
  'accountNumber',
  'accountHolderName',
  'status',
  'enrolledAt',
  'updatedAt',
] as const satisfies readonly (keyof BeneficiaryRow)[];

/** Enrolments, in enrolment order. */
@Injectable()
export class BeneficiaryQueries {
  private readonly db: BeneficiariesDatabase;

  constructor(@Inject(READ_MODEL_DATABASE) db: ReadModelDatabase) {
    this.db = beneficiariesDatabase(db);
  }

  async getById(id: string): Promise<BeneficiaryView | undefined> {
    return this.db.selectFrom('beneficiaries').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  }

  list(filter: BeneficiaryFilter = {}, page: PageRequest = {}): Promise<Page<BeneficiaryView>> {
    const { programmeId, status, regionCodePrefix, nik } = filter;
    if (regionCodePrefix !== undefined && !REGION_PREFIX.test(regionCodePrefix)) {
      throw invalid(
        'INVALID_REGION_PREFIX',
        'regionCodePrefix must be digits and dots, e.g. 16.06',
        'regionCodePrefix',
      );
    }
    return readPage(
      page,
      (after, limit) => {
        let query = this.db.selectFrom('beneficiaries').select(COLUMNS);
        if (programmeId !== undefined) query = query.where('programmeId', '=', programmeId);
        if (status !== undefined) query = query.where('status', '=', status);
        if (regionCodePrefix !== undefined) query = query.where('regionCode', 'like', `${regionCodePrefix}%`);
        if (nik !== undefined) query = query.where('nik', '=', nik);
        if (after !== undefined) {
          query = query.where((eb) => eb(eb.refTuple('enrolledAt', 'id'), '>', eb.tuple(after[0], after[1])));
        }
        return query.orderBy('enrolledAt').orderBy('id').limit(limit).execute();
      },
      (row) => row.enrolledAt,
      (row) => row,
    );
  }
}
