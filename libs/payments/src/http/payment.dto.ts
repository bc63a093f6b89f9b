import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsPeriod, PageQueryDto } from '@salur/http';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

const ANY_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export class SchedulePaymentDto {
  @ApiProperty({ example: 'BANTU-UMAK-2026' })
  @Matches(/^[A-Z][A-Z0-9-]{1,31}-[0-9]{4}$/, { message: 'programmeId must look like BANTU-UMAK-2026' })
  readonly programmeId!: string;

  @IsPeriod()
  readonly period!: string;

  @ApiProperty({ format: 'uuid' })
  @Matches(ANY_UUID, { message: 'beneficiaryId must be a lower-case UUID' })
  readonly beneficiaryId!: string;
}

export class PaymentParams {
  @ApiProperty({ format: 'uuid' })
  @Matches(ANY_UUID, { message: 'paymentId must be a lower-case UUID' })
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
  @Matches(/^[A-Z][A-Z0-9-]{1,31}-[0-9]{4}$/, { message: 'programmeId must look like BANTU-UMAK-2026' })
  readonly programmeId?: string;

  @IsOptional()
  @IsPeriod()
  readonly period?: string;

  @ApiPropertyOptional({ enum: PAYMENT_STATUSES })
  @IsOptional()
  @IsIn(PAYMENT_STATUSES)
  readonly status?: (typeof PAYMENT_STATUSES)[number];

  @IsOptional()
  @Matches(ANY_UUID, { message: 'batchId must be a lower-case UUID' })
  readonly batchId?: string;

  @IsOptional()
  @Matches(ANY_UUID, { message: 'beneficiaryId must be a lower-case UUID' })
  readonly beneficiaryId?: string;
}
