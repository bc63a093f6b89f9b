import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Min } from 'class-validator';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** A past point: an instant (`at`) or a global position, exactly one of them (see asOfOf). */
export class AsOfQuery {
  @ApiPropertyOptional({ example: '2026-11-30T23:59:59Z', description: 'As of the last event recorded at or before' })
  @IsOptional()
  @Matches(ISO_INSTANT, { message: 'at must be an ISO-8601 date or instant' })
  readonly at?: string;

  @ApiPropertyOptional({ description: 'As of this global position of the log' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  readonly position?: number;
}
