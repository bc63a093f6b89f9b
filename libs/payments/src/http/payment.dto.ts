import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsProgrammeId, IsRecordId, PageQueryDto } from '@salur/http';
import { IsPaymentPeriod, PERIOD_SCHEMA } from './period.validation';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

export class SchedulePaymentDto {
  @ApiProperty({ example: 'BANTU-UMAK-2026' })
  @IsProgrammeId()
  readonly programmeId!: string;

  @ApiProperty(PERIOD_SCHEMA)
  @IsPaymentPeriod()
  readonly period!: string;

  @ApiProperty({ format: 'uuid' })
  @IsRecordId()
  readonly beneficiaryId!: string;
}

export class PaymentParams {
  @ApiProperty({ format: 'uuid' })
  @IsRecordId()
  readonly paymentId!: string;
}

export class ReversalRequestDto {
  @ApiProperty({ example: 'credited to the account of a deceased beneficiary' })
  @IsString()
  @MaxLength(500)
  readonly reason!: string;
}

const PAYMENT_STATUSES = [
  'scheduled',
  'batched',
  'sent',
  'credited',
  'rejected',
  'returned',
  'reissued',
  'reversed',
] as const;

export class PaymentListQuery extends PageQueryDto {
  @ApiPropertyOptional({ example: 'BANTU-UMAK-2026' })
  @IsOptional()
  @IsProgrammeId()
  readonly programmeId?: string;

  @ApiPropertyOptional(PERIOD_SCHEMA)
  @IsOptional()
  @IsPaymentPeriod()
  readonly period?: string;

  @ApiPropertyOptional({ enum: PAYMENT_STATUSES })
  @IsOptional()
  @IsIn(PAYMENT_STATUSES)
  readonly status?: (typeof PAYMENT_STATUSES)[number];

  @IsOptional()
  @IsRecordId()
  readonly batchId?: string;

  @IsOptional()
  @IsRecordId()
  readonly beneficiaryId?: string;
}
