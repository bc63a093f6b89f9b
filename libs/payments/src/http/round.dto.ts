import { ApiProperty } from '@nestjs/swagger';
import { IsProgrammeId, PageQueryDto } from '@salur/http';
import { IsPaymentPeriod, PERIOD_SCHEMA } from './period.validation';
import { IsOptional } from 'class-validator';

export class OpenRoundDto {
  @ApiProperty({ example: 'BANTU-UMAK-2026' })
  @IsProgrammeId()
  readonly programmeId!: string;

  @ApiProperty(PERIOD_SCHEMA)
  @IsPaymentPeriod()
  readonly period!: string;
}

export class RoundParams {
  @IsProgrammeId()
  readonly programmeId!: string;

  @ApiProperty(PERIOD_SCHEMA)
  @IsPaymentPeriod()
  readonly period!: string;
}

export class RoundListQuery extends PageQueryDto {
  @IsOptional()
  @IsProgrammeId()
  readonly programmeId?: string;
}
