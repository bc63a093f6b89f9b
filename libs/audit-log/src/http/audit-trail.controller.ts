import { Controller, Get, Query, StreamableFile, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentContext, type RequestContext, Roles } from '@salur/http';
import { Readable } from 'node:stream';
import { auditTrailProjection } from '../trail/audit-trail.projection';
import { type AuditEventView, type AuditTrailFilter, AuditTrailQueries } from '../trail/audit-trail.queries';
import { type AuditTrailItem, maskAuditRows } from '../trail/audit-trail.view';
import type { Page } from '@salur/projections';
import { ProjectionStatusService } from '@salur/projections';
import { PersonalDataAccessLog, PersonalDataSearchGuard } from '@salur/personal-data';
import type { SearchableKind, Viewer } from '@salur/personal-data';
import { readAfter } from '@salur/projections';
import { csvLine } from './csv';
import { AuditTrailQuery } from './audit-trail.dto';

/** Rows read and written per step of an export; each step's unmasked reads are recorded before it is sent. */
export const CSV_PAGE_ROWS = 1_000;
/** Rows of one export at most. */
export const MAX_CSV_ROWS = 1_000_000;

const CSV_COLUMNS = [
  'position',
  'recorded_at',
  'occurred_at',
  'type',
  'stream_name',
  'revision',
  'actor_user_id',
  'actor_role',
  'programme_id',
  'period',
  'batch_id',
  'payment_id',
  'beneficiary_id',
  'nik',
  'kk',
  'region_code',
  'correlation_id',
  'causation_id',
  'data',
];

/**
 * The audit trail, for inspectors (and admins): every event, filtered by what it is about. NIK,
 * KK and account numbers are masked unless the inspector's token carries the pii grant; each
 * page that shows them in clear is recorded first as PersonalDataViewed. Filtering by NIK or KK is
 * a search by personal data: for those who see them in clear only, rationed per person
 * (PersonalDataSearchGuard), and recorded even when it finds nothing.
 */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditTrailController {
  constructor(
    private readonly trail: AuditTrailQueries,
    private readonly readModels: ProjectionStatusService,
    private readonly accessLog: PersonalDataAccessLog,
  ) {}

  @Get('trail')
  @Roles('inspector', 'admin')
  @UseGuards(PersonalDataSearchGuard)
  async list(
    @Query() query: AuditTrailQuery,
    @CurrentContext() context: RequestContext,
  ): Promise<Page<AuditTrailItem>> {
    await readAfter(this.readModels, query.minPosition, [auditTrailProjection.name]);
    const page = await this.trail.list(filterOf(query), { limit: query.limit, cursor: query.cursor });
    const masked = maskAuditRows(page.items, viewerOf(context));
    await this.accessLog.recordView(context, masked.revealedBeneficiaryIds, 'GET /audit/trail', {
      revealed: masked.revealed,
      searchedBy: searchedKindsOf(query),
    });
    return { items: masked.items, nextCursor: page.nextCursor };
  }

  /** The same events as CSV, streamed page by page; `limit` caps the rows, `cursor` starts after a page. */
  @Get('trail.csv')
  @Roles('inspector', 'admin')
  @UseGuards(PersonalDataSearchGuard)
  @ApiProduces('text/csv')
  async csv(@Query() query: AuditTrailQuery, @CurrentContext() context: RequestContext): Promise<StreamableFile> {
    await readAfter(this.readModels, query.minPosition, [auditTrailProjection.name]);
    const pages = this.trail.pages(filterOf(query), {
      cursor: query.cursor,
      pageSize: CSV_PAGE_ROWS,
      maxRows: query.limit ?? MAX_CSV_ROWS,
    });
    // The first page is read before answering, so a refused filter is still a proper error status.
    const first = await pages.next();
    const lines = this.lines(first, pages, context, searchedKindsOf(query));
    return new StreamableFile(Readable.from(lines), {
      type: 'text/csv; charset=utf-8',
      disposition: 'attachment; filename="audit-trail.csv"',
    });
  }

  private async *lines(
    first: IteratorResult<AuditEventView[]>,
    pages: AsyncGenerator<AuditEventView[]>,
    context: RequestContext,
    searchedBy: readonly SearchableKind[],
  ): AsyncGenerator<string> {
    // A search that finds nothing is recorded too (one record, before the header leaves the server).
    if (first.done === true && searchedBy.length > 0) {
      await this.accessLog.recordView(context, [], 'GET /audit/trail.csv', { searchedBy });
    }
    yield csvLine(CSV_COLUMNS);
    let next = first;
    while (next.done !== true) {
      const masked = maskAuditRows(next.value, viewerOf(context));
      await this.accessLog.recordView(context, masked.revealedBeneficiaryIds, 'GET /audit/trail.csv', {
        revealed: masked.revealed,
        searchedBy,
      });
      yield masked.items.map(csvRow).join('');
      next = await pages.next();
    }
  }
}

function csvRow(item: AuditTrailItem): string {
  return csvLine([
    item.position,
    item.recordedAt,
    item.occurredAt,
    item.type,
    item.streamName,
    item.revision,
    item.actor?.userId ?? null,
    item.actor?.role ?? null,
    item.programmeId,
    item.period,
    item.batchId,
    item.paymentId,
    item.beneficiaryId,
    item.nik,
    item.kk,
    item.regionCode,
    item.correlationId,
    item.causationId,
    JSON.stringify(item.data),
  ]);
}

function filterOf(query: AuditTrailQuery): AuditTrailFilter {
  const { beneficiaryId, nik, kk, regionCodePrefix, batchId, paymentId, programmeId, period, actorId, from, to } =
    query;
  const types = query.type === undefined ? undefined : query.type.split(',');
  return {
    beneficiaryId,
    nik,
    kk,
    regionCodePrefix,
    batchId,
    paymentId,
    programmeId,
    period,
    actorId,
    types,
    from,
    to,
  };
}

function searchedKindsOf(query: AuditTrailQuery): SearchableKind[] {
  return [...(query.nik === undefined ? [] : ['nik' as const]), ...(query.kk === undefined ? [] : ['kk' as const])];
}

function viewerOf(context: RequestContext): Viewer {
  return { role: context.actor.role, grants: context.grants };
}
