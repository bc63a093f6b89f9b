import { Inject, Injectable } from '@nestjs/common';
import type { ExpressionBuilder, SelectQueryBuilder } from 'kysely';
import { invalid } from '@salur/kernel';
import { parseStored, PersonalDataVault } from '@salur/personal-data';
import { decodeCursor, Page, PageRequest, readPage } from '@salur/projections';
import { READ_MODEL_DATABASE, type ReadModelDatabase } from '@salur/projections';
import type { EngineTables } from '@salur/projections';
import {
  type AuditEventRow,
  type AuditTrailDatabase,
  auditTrailDatabase,
  type AuditTrailTables,
} from './audit-trail.tables';

export interface AuditTrailFilter {
  readonly beneficiaryId?: string;
  /**
   * A NIK or KK given in full, found by its search key (the rows hold no clear number). Searching is
   * a read of personal data: the route checks who may, and records it.
   */
  readonly nik?: string;
  readonly kk?: string;
  /** A whole level of a region code: `16` (province), `16.06` (regency), `16.06.01` (district), `16.06.01.2001` (village). */
  readonly regionCodePrefix?: string;
  readonly batchId?: string;
  readonly paymentId?: string;
  readonly programmeId?: string;
  readonly period?: string;
  /** The user id of the actor who caused the events (or viewed the data). */
  readonly actorId?: string;
  readonly types?: readonly string[];
  /** ISO-8601 instants on the time the log recorded the event: from inclusive, to exclusive. */
  readonly from?: string;
  readonly to?: string;
}

/** Event types per query: enough for any real question, few enough to keep the statement small. */
export const MAX_TYPES_PER_QUERY = 20;

const REGION_LEVELS = [
  { pattern: /^\d{2}$/, column: 'province' },
  { pattern: /^\d{2}\.\d{2}$/, column: 'regency' },
  { pattern: /^\d{2}\.\d{2}\.\d{2}$/, column: 'district' },
  { pattern: /^\d{2}\.\d{2}\.\d{2}\.\d{4}$/, column: 'regionCode' },
] as const;

export const AUDIT_EVENT_COLUMNS = [
  'id',
  'position',
  'eventId',
  'type',
  'streamName',
  'revision',
  'recordedAt',
  'occurredAt',
  'actorUserId',
  'actorRole',
  'correlationId',
  'causationId',
  'programmeId',
  'period',
  'batchId',
  'paymentId',
  'beneficiaryId',
  'sealedNik',
  'sealedKk',
  'regionCode',
  'data',
] as const satisfies readonly (keyof AuditEventRow)[];

/**
 * An event of the trail with its personal data opened: NIK, KK and the data's sealed fields in
 * clear, or '[erased]' once their subject's key is gone. Not masked yet (see maskAuditRows).
 */
export type AuditEventView = Omit<AuditEventRow, 'sealedNik' | 'sealedKk' | 'data'> & {
  readonly nik: string | null;
  readonly kk: string | null;
  readonly data: unknown;
};

const SIXTEEN_DIGITS = /^[0-9]{16}$/;

type Tables = EngineTables & AuditTrailTables;
type EventsQuery = SelectQueryBuilder<Tables, 'auditTrailEvents', AuditEventRow>;

/**
 * The audit trail, in the log's order: every event, filtered by what it is about, who caused it,
 * its type and when it was recorded. The cursor is the global position, so a walk through the
 * pages sees every matching event once, whatever is appended meanwhile (later events come after).
 * Rows are opened (personal data in clear or '[erased]'), not masked: mask them for the viewer
 * (see AuditTrailController).
 */
@Injectable()
export class AuditTrailQueries {
  private readonly db: AuditTrailDatabase;

  constructor(
    @Inject(READ_MODEL_DATABASE) db: ReadModelDatabase,
    private readonly vault: PersonalDataVault,
  ) {
    this.db = auditTrailDatabase(db);
  }

  async list(filter: AuditTrailFilter = {}, page: PageRequest = {}): Promise<Page<AuditEventView>> {
    const where = this.conditions(filter);
    const rows = await readPage(
      page,
      (after, limit) => {
        let query = where(this.db.selectFrom('auditTrailEvents').select(AUDIT_EVENT_COLUMNS));
        if (after !== undefined) query = query.where('id', '>', after[1]);
        return query.orderBy('id').limit(limit).execute();
      },
      (row) => row.id,
      (row) => row,
    );
    return { nextCursor: rows.nextCursor, items: await this.opened(rows.items) };
  }

  /**
   * Every matching event after the cursor, page after page of `pageSize`, at most `maxRows`: for
   * exports, with memory bounded by one page. The filter is checked at once, before the first read.
   */
  pages(
    filter: AuditTrailFilter,
    options: { readonly cursor?: string; readonly pageSize: number; readonly maxRows: number },
  ): AsyncGenerator<AuditEventView[]> {
    const where = this.conditions(filter);
    const start = options.cursor === undefined ? undefined : decodeCursor(options.cursor)[1];
    const db = this.db;
    const opened = (rows: readonly AuditEventRow[]) => this.opened(rows);
    return (async function* () {
      let after = start;
      for (let rows = 0; rows < options.maxRows;) {
        let query = where(db.selectFrom('auditTrailEvents').select(AUDIT_EVENT_COLUMNS));
        if (after !== undefined) query = query.where('id', '>', after);
        const size = Math.min(options.pageSize, options.maxRows - rows);
        const page = await query.orderBy('id').limit(size).execute();
        if (page.length > 0) yield await opened(page);
        if (page.length < size) return;
        rows += page.length;
        after = page[page.length - 1].id;
      }
    })();
  }

  /** A page's personal data opened with one key look-up for the whole page. */
  private async opened(rows: readonly AuditEventRow[]): Promise<AuditEventView[]> {
    const stored = rows.map((row) => ({
      nik: parseStored(row.sealedNik),
      kk: parseStored(row.sealedKk),
      data: JSON.parse(row.data) as unknown,
    }));
    const opened = await this.vault.openData(stored);
    return rows.map(({ sealedNik: _nik, sealedKk: _kk, data: _data, ...row }, index) => ({
      ...row,
      nik: textOrNull(opened[index].nik),
      kk: textOrNull(opened[index].kk),
      data: opened[index].data,
    }));
  }

  /** Only a whole number is looked up: a prefix or a masked guess has no search key to match. */
  private searchKey(kind: 'nik' | 'kk', value: string | undefined): string | undefined {
    if (value === undefined) return undefined;
    if (!SIXTEEN_DIGITS.test(value)) throw invalid(`INVALID_${kind.toUpperCase()}`, `${kind} must be 16 digits`, kind);
    return this.vault.searchKey(kind, value);
  }

  private conditions(filter: AuditTrailFilter): (query: EventsQuery) => EventsQuery {
    const { beneficiaryId, regionCodePrefix, batchId, paymentId, programmeId, period, actorId } = filter;
    const nik = this.searchKey('nik', filter.nik);
    const kk = this.searchKey('kk', filter.kk);
    const types = filter.types ?? [];
    if (types.length > MAX_TYPES_PER_QUERY) {
      throw invalid('TOO_MANY_TYPES', `At most ${MAX_TYPES_PER_QUERY} event types per query`, 'type');
    }
    const region = regionCodePrefix === undefined ? undefined : regionLevelOf(regionCodePrefix);
    const from = filter.from === undefined ? undefined : instant(filter.from, 'from');
    const to = filter.to === undefined ? undefined : instant(filter.to, 'to');
    return (query) => {
      let q = query;
      if (beneficiaryId !== undefined) q = q.where((eb) => aboutBeneficiaries(eb, 'id', beneficiaryId));
      if (nik !== undefined) q = q.where((eb) => aboutBeneficiaries(eb, 'nikSearchKey', nik));
      if (kk !== undefined) q = q.where((eb) => aboutBeneficiaries(eb, 'kkSearchKey', kk));
      if (region !== undefined) q = q.where((eb) => aboutBeneficiaries(eb, region.column, region.value));
      if (batchId !== undefined) q = q.where('batchId', '=', batchId);
      if (paymentId !== undefined) q = q.where('paymentId', '=', paymentId);
      if (programmeId !== undefined) q = q.where('programmeId', '=', programmeId);
      if (period !== undefined) q = q.where('period', '=', period);
      if (actorId !== undefined) q = q.where('actorUserId', '=', actorId);
      if (types.length > 0) q = q.where('type', 'in', types);
      if (from !== undefined) q = q.where('recordedAt', '>=', from);
      if (to !== undefined) q = q.where('recordedAt', '<', to);
      return q;
    };
  }
}

type EventsBuilder = ExpressionBuilder<Tables, 'auditTrailEvents'>;
type BeneficiaryColumn = 'id' | 'nikSearchKey' | 'kkSearchKey' | 'province' | 'regency' | 'district' | 'regionCode';

/** Events about the beneficiaries whose column has this value: as their own subject, or among several. */
function aboutBeneficiaries(eb: EventsBuilder, column: BeneficiaryColumn, value: string) {
  const beneficiaries = () =>
    eb.selectFrom('auditTrailBeneficiaries').select('auditTrailBeneficiaries.id').where(column, '=', value);
  return eb.or([
    eb('auditTrailEvents.beneficiaryId', 'in', beneficiaries()),
    eb(
      'auditTrailEvents.id',
      'in',
      eb
        .selectFrom('auditTrailSubjects')
        .select('auditTrailSubjects.eventRowId')
        .where('auditTrailSubjects.beneficiaryId', 'in', beneficiaries()),
    ),
  ]);
}

function regionLevelOf(prefix: string): { readonly column: BeneficiaryColumn; readonly value: string } {
  const level = REGION_LEVELS.find((candidate) => candidate.pattern.test(prefix));
  if (level === undefined) {
    throw invalid(
      'INVALID_REGION_PREFIX',
      'regionCodePrefix must be a whole region level: 16, 16.06, 16.06.01 or 16.06.01.2001',
      'regionCodePrefix',
    );
  }
  return { column: level.column, value: prefix };
}

function textOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function instant(value: string, field: string): string {
  const parsed = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(value) || Number.isNaN(parsed)) {
    throw invalid('INVALID_INSTANT', `${field} must be an ISO-8601 date or instant`, field);
  }
  return new Date(parsed).toISOString();
}
