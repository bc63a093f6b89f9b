import { ApiProperty } from '@nestjs/swagger';
import { IsPeriod, IsProgrammeId, IsRecordId } from '@salur/http';
import { IsIn, IsOptional, Matches } from 'class-validator';

export class OpenRoundDto {
  @ApiProperty({ example: 'BANTU-UMAK-2026' })
  @IsProgrammeId()
  readonly programmeId!: string;

  @ApiProperty({ example: '2026-11' })
  @IsPeriod()
  readonly period!: string;
}

export class RoundParams {
  @IsProgrammeId()
  readonly programmeId!: string;

  @IsPeriod()
  readonly period!: string;
}

export class BatchFileParams {
  @IsRecordId()
  readonly batchId!: string;
}

export class BatchFileQuery {
  @ApiProperty({ enum: ['pain001', 'csv'], required: false, default: 'pain001' })
  @IsOptional()
  @IsIn(['pain001', 'csv'])
  readonly format?: 'pain001' | 'csv';
}

export class JobParams {
  @ApiProperty({ example: 'open-round.BANTU-UMAK-2026.2026-11' })
  @Matches(/^[a-z-]+\.[A-Za-z0-9.-]{1,200}$/, { message: 'jobId is not a bank-integration job id' })
  readonly jobId!: string;
}
