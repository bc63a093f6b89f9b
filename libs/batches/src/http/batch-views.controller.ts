import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ReadAfterQueryDto, Roles } from '@salur/http';
import { batchViewsProjection } from '../read-models/batch-views.projection';
import { type BatchDetailView, BatchViewQueries } from '../read-models/batch-views.queries';
import type { Page } from '@salur/projections';
import { ProjectionStatusService } from '@salur/projections';
import { readAfter } from '@salur/projections';
import { BatchViewListQuery, BatchViewParams } from './batch-view.dto';

/** Finance officers make and approve batches; the bank job writes their files and reads back results. */
const BATCH_READERS = ['finance-officer', 'programme-officer', 'bank-integration', 'inspector', 'admin'] as const;

@ApiTags('batch views')
@ApiBearerAuth()
@Controller('batch-views')
export class BatchViewsController {
  constructor(
    private readonly batches: BatchViewQueries,
    private readonly readModels: ProjectionStatusService,
  ) {}

  @Get()
  @Roles(...BATCH_READERS)
  async list(@Query() query: BatchViewListQuery): Promise<Page<BatchDetailView>> {
    await readAfter(this.readModels, query.minPosition, [batchViewsProjection.name]);
    const { programmeId, period, status, limit, cursor } = query;
    return this.batches.list({ programmeId, period, status }, { limit, cursor });
  }

  @Get(':batchId')
  @Roles(...BATCH_READERS)
  async get(@Param() { batchId }: BatchViewParams, @Query() query: ReadAfterQueryDto): Promise<BatchDetailView> {
    await readAfter(this.readModels, query.minPosition, [batchViewsProjection.name]);
    const batch = await this.batches.get(batchId);
    if (batch === undefined) {
      throw new NotFoundException({ statusCode: 404, code: 'BATCH_NOT_FOUND', message: `No batch ${batchId}` });
    }
    return batch;
  }
}
