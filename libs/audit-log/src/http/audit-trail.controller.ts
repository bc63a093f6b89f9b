import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentContext, type RequestContext, Roles } from '@salur/http';
import { Readable } from 'node:stream';
import { auditTrailProjection } from '../trail/audit-trail.projection';
import { type AuditTrailFilter, AuditTrailQueries } from '../trail/audit-trail.queries';
import type { AuditEventRow } from '../trail/audit-trail.tables';
import { type AuditTrailItem, maskAuditRows } from '../trail/audit-trail.view';
import type { Page } from '@salur/projections';
import { ProjectionStatusService } from '@salur/projections';
import { PersonalDataAccessLog } from '@salur/personal-data';
import type { Viewer } from '@salur/personal-data';
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
 * page that shows them in clear is recorded first as PersonalDataViewed.
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
  async list(
    @Query() query: AuditTrailQuery,
    @CurrentContext() context: RequestContext,
  ): Promise<Page<AuditTrailItem>> {
    await readAfter(this.readModels, query.minPosition, [auditTrailProjection.name]);
    const page = await this.trail.list(filterOf(query), { limit: query.limit, cursor: query.cursor });
    const masked = maskAuditRows(page.items, viewerOf(context));
    await this.accessLog.recordView(context, masked.revealedBeneficiaryIds, 'GET /audit/trail', masked.revealed);
    return { items: masked.items, nextCursor: page.nextCursor };
  }

  /** The same events as CSV, streamed page by page; `limit` caps the rows, `cursor` starts after a page. */
  @Get('trail.csv')
  @Roles('inspector', 'admin')
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
    const lines = this.lines(first, pages, context);
    return new StreamableFile(Readable.from(lines), {
      type: 'text/csv; charset=utf-8',
      disposition: 'attachment; filename="audit-trail.csv"',
    });
  }

  private async *lines(
    first: IteratorResult<AuditEventRow[]>,
    pages: AsyncGenerator<AuditEventRow[]>,
    context: RequestContext,
  ): AsyncGenerator<string> {
    yield csvLine(CSV_COLUMNS);
    let next = first;
    while (next.done !== true) {
      const masked = maskAuditRows(next.value, viewerOf(context));
      await this.accessLog.recordView(context, masked.revealedBeneficiaryIds, 'GET /audit/trail.csv', masked.revealed);
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

function viewerOf(context: RequestContext): Viewer {
  return { role: context.actor.role, grants: context.grants };
}
