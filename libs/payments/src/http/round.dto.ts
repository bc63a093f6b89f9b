import { ApiProperty } from '@nestjs/swagger';
import { IsPeriod, IsProgrammeId, PageQueryDto } from '@salur/http';
import { IsOptional } from 'class-validator';

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

export class RoundListQuery extends PageQueryDto {
  @IsOptional()
  @IsProgrammeId()
  readonly programmeId?: string;
}
