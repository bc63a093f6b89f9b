import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsAmountString, IsProgrammeId, PageQueryDto } from '@salur/http';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, MaxLength } from 'class-validator';

/** Shapes only; the domain checks the rules (code format, ranges, benefit within the ceiling). */
export class CreateProgrammeDto {
  @ApiProperty({ example: 'BANTU-UMAK', pattern: '^[A-Z][A-Z0-9-]{1,31}$' })
  @IsString()
  @MaxLength(32)
  readonly code!: string;

  @ApiProperty({ example: 'Bantuan Langsung Tunai untuk Warga Miskin Ekstrem' })
  @IsString()
  @MaxLength(200)
  readonly name!: string;

  @ApiProperty({ example: 2026 })
  @IsInt()
  readonly fiscalYear!: number;

  @IsAmountString({ positive: true })
  readonly budgetCeiling!: string;

  @IsAmountString({ positive: true })
  readonly benefitAmount!: string;

  @ApiProperty({ enum: ['IDR'] })
  @IsIn(['IDR'])
  readonly currency!: string;
}

export class RaiseBudgetCeilingDto {
  @IsAmountString({ positive: true })
  readonly newCeiling!: string;

  @ApiProperty({ example: 'APBD-P 2026 amendment' })
  @IsString()
  @MaxLength(500)
  readonly reason!: string;
}

export class ProgrammeParams {
  @ApiProperty({ example: 'BANTU-UMAK-2026' })
  @IsProgrammeId()
  readonly programmeId!: string;
}

export class ProgrammeListQuery extends PageQueryDto {
  @ApiPropertyOptional({ example: 2026 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  readonly fiscalYear?: number;
}
