import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsPeriod, IsProgrammeId, IsRecordId, PageQueryDto } from '@salur/http';
import { IsIn, IsOptional } from 'class-validator';
import { BATCH_VIEW_STATUSES } from '../read-models/batch-views.tables';

export class BatchViewListQuery extends PageQueryDto {
  @ApiPropertyOptional({ example: 'BANTU-UMAK-2026' })
  @IsOptional()
  @IsProgrammeId()
  readonly programmeId?: string;

  @IsOptional()
  @IsPeriod()
  readonly period?: string;

  @ApiPropertyOptional({ enum: BATCH_VIEW_STATUSES })
  @IsOptional()
  @IsIn(BATCH_VIEW_STATUSES)
  readonly status?: (typeof BATCH_VIEW_STATUSES)[number];
}

export class BatchViewParams {
  @IsRecordId()
  readonly batchId!: string;
}
