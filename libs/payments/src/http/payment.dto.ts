import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsPlainText, IsProgrammeId, IsRecordId, PageQueryDto } from '@salur/http';
import { IsPaymentPeriod, PERIOD_SCHEMA } from './period.validation';
import type { PaymentStatus } from '../read-models/balances.tables';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { UNKNOWN_OUTCOME_DECISIONS, type UnknownOutcomeDecision } from '../domain';

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
  @IsPlainText()
  readonly reason!: string;
}

/** A first officer's request to decide an unknown outcome; a second confirms it. */
export class OutcomeDecisionRequestDto {
  @ApiProperty({ enum: UNKNOWN_OUTCOME_DECISIONS })
  @IsIn(UNKNOWN_OUTCOME_DECISIONS)
  readonly outcome!: UnknownOutcomeDecision;

  @ApiProperty({ example: 'the bank confirmed the credit by letter 2026-12-03/BRI/118' })
  @IsString()
  @MaxLength(500)
  @IsPlainText()
  readonly reason!: string;
}

/** The second officer names the outcome they confirm. */
export class OutcomeDecisionConfirmationDto {
  @ApiProperty({ enum: UNKNOWN_OUTCOME_DECISIONS })
  @IsIn(UNKNOWN_OUTCOME_DECISIONS)
  readonly outcome!: UnknownOutcomeDecision;
}

const PAYMENT_STATUSES = [
  'scheduled',
  'batched',
  'sent',
  'outcome-unknown',
  'credited',
  'rejected',
  'returned',
  'not-credited',
  'reissued',
  'reversed',
] as const satisfies readonly PaymentStatus[];

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
