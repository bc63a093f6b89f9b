import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsAmountString, IsPlainText, IsProgrammeId, PageQueryDto } from '@salur/http';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { SCHEDULE_KINDS } from '../domain';

/** Which periods the programme pays; the domain checks a one-off name and derives the periods. */
export class ProgrammeScheduleDto {
  @ApiProperty({ enum: SCHEDULE_KINDS, example: 'monthly' })
  @IsIn(SCHEDULE_KINDS)
  readonly kind!: (typeof SCHEDULE_KINDS)[number];

  @ApiPropertyOptional({ example: 'ONE', description: 'one-off only: the period is `<fiscalYear>-<name>`' })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  readonly name?: string;
}

/** One approval tier: batches up to `upTo` (null: no bound) need `approvers` distinct approvers. */
export class ApprovalTierDto {
  @ApiProperty({ example: '500000000.00', nullable: true, type: String })
  @ValidateIf((tier: ApprovalTierDto) => tier.upTo !== null)
  @IsAmountString({ positive: true })
  readonly upTo!: string | null;

  @ApiProperty({ example: 1, minimum: 1, maximum: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  readonly approvers!: number;
}

/** Tiers ascending by their bound, the last without one; the domain checks the order. */
export class ApprovalPolicyDto {
  @ApiProperty({ type: [ApprovalTierDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ApprovalTierDto)
  readonly tiers!: ApprovalTierDto[];
}

/** Shapes only; the domain checks the rules (code format, ranges, benefit within the ceiling). */
export class CreateProgrammeDto {
  @ApiProperty({ example: 'BANTU-UMAK', pattern: '^[A-Z][A-Z0-9-]{1,31}$' })
  @IsString()
  @MaxLength(32)
  readonly code!: string;

  @ApiProperty({ example: 'Bantuan Langsung Tunai untuk Warga Miskin Ekstrem' })
  @IsString()
  @MaxLength(200)
  @IsPlainText()
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

  @ApiPropertyOptional({ type: ProgrammeScheduleDto, description: 'monthly when absent' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ProgrammeScheduleDto)
  readonly schedule?: ProgrammeScheduleDto;

  @ApiPropertyOptional({ type: ApprovalPolicyDto, description: "the deployment's APPROVAL_TIERS when absent" })
  @IsOptional()
  @ValidateNested()
  @Type(() => ApprovalPolicyDto)
  readonly approvalPolicy?: ApprovalPolicyDto;

  @ApiPropertyOptional({
    example: 'P10Y',
    description:
      "How long beneficiaries' personal data is kept after they exit, as an ISO-8601 duration of years, months, " +
      'weeks or days, at most P30Y (P0D: no legal retention); P10Y when absent',
  })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  readonly personalDataRetention?: string;
}

export class RaiseBudgetCeilingDto {
  @IsAmountString({ positive: true })
  readonly newCeiling!: string;

  @ApiProperty({ example: 'APBD-P 2026 amendment' })
  @IsString()
  @MaxLength(500)
  @IsPlainText()
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
