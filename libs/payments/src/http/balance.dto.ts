import { IsProgrammeId, IsRecordId, PageQueryDto } from '@salur/http';
import { AsOfQuery } from '@salur/projections';
import { IsOptional } from 'class-validator';

export class BalanceListQuery extends PageQueryDto {
  @IsOptional()
  @IsProgrammeId()
  readonly programmeId?: string;

  @IsOptional()
  @IsRecordId()
  readonly beneficiaryId?: string;
}

export class BalanceAsOfQuery extends AsOfQuery {
  @IsProgrammeId()
  readonly programmeId!: string;

  @IsRecordId()
  readonly beneficiaryId!: string;
}
