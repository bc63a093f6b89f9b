import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** Read-your-writes for every read: wait until the read models have applied a command's answer. */
export class ReadAfterQueryDto {
  @ApiPropertyOptional({
    description: "A command answer's position: the read waits (at most 5 s) until the read models have applied it",
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  readonly minPosition?: number;
}

/** Pagination and read-your-writes for every list endpoint. Query strings are text: numbers are converted here, explicitly. */
export class PageQueryDto extends ReadAfterQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  readonly limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  readonly cursor?: string;
}
