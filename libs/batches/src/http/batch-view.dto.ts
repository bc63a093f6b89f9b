import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsPeriod, IsProgrammeId, IsRecordId, PageQueryDto } from '@salur/http';
import { IsIn, IsOptional } from 'class-validator';

const BATCH_STATUSES = ['pending', 'approved', 'submitted', 'rejected', 'cancelled', 'expired'] as const;

export class BatchViewListQuery extends PageQueryDto {
  @IsOptional()
  @IsProgrammeId()
  readonly programmeId?: string;

  @IsOptional()
  @IsPeriod()
  readonly period?: string;

  @ApiPropertyOptional({ enum: BATCH_STATUSES })
  @IsOptional()
  @IsIn(BATCH_STATUSES)
  readonly status?: (typeof BATCH_STATUSES)[number];
}

export class BatchViewParams {
  @IsRecordId()
  readonly batchId!: string;
}
