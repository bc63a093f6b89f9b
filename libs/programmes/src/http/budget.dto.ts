import { IsProgrammeId, PageQueryDto } from '@salur/http';
import { Type } from 'class-transformer';
import { IsInt, IsOptional } from 'class-validator';

export class BudgetListQuery extends PageQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  readonly fiscalYear?: number;
}

export class BudgetParams {
  @IsProgrammeId()
  readonly programmeId!: string;
}
