import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsPeriod, PageQueryDto } from '@salur/http';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

const ANY_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** The configured maximum is checked by the handler; this bounds the request itself. */
const MAX_PAYMENT_IDS_IN_REQUEST = 5_000;

export class CreateBatchDto {
  @ApiProperty({ example: 'BANTU-UMAK-2026' })
  @Matches(/^[A-Z][A-Z0-9-]{1,31}-[0-9]{4}$/, { message: 'programmeId must look like BANTU-UMAK-2026' })
  readonly programmeId!: string;

  @IsPeriod()
  readonly period!: string;

  @ApiProperty({ type: [String], format: 'uuid' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PAYMENT_IDS_IN_REQUEST)
  @Matches(ANY_UUID, { each: true, message: 'each paymentId must be a lower-case UUID' })
  readonly paymentIds!: string[];
}

export class ApproveBatchDto {
  @ApiProperty({ description: 'The content hash you reviewed (GET /batches/:batchId)', example: 'e3b0c442…' })
  @Matches(/^[0-9a-f]{64}$/, { message: 'contentHash must be the 64 hex digits of the reviewed batch' })
  readonly contentHash!: string;
}

export class RemovePaymentsDto {
  @ApiProperty({ type: [String], format: 'uuid' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PAYMENT_IDS_IN_REQUEST)
  @Matches(ANY_UUID, { each: true, message: 'each paymentId must be a lower-case UUID' })
  readonly paymentIds!: string[];

  @ApiProperty({ example: 'beneficiary exited before payment' })
  @IsString()
  @MaxLength(500)
  readonly reason!: string;
}

export class BatchReasonDto {
  @ApiProperty({ example: 'wrong period selected' })
  @IsString()
  @MaxLength(500)
  readonly reason!: string;
}

export class BatchParams {
  @ApiProperty({ format: 'uuid' })
  @Matches(ANY_UUID, { message: 'batchId must be a lower-case UUID' })
  readonly batchId!: string;
}

const BATCH_STATUSES = ['pending', 'approved', 'rejected', 'cancelled', 'expired'] as const;

export class BatchListQuery extends PageQueryDto {
  @ApiPropertyOptional({ example: 'BANTU-UMAK-2026' })
  @IsOptional()
  @Matches(/^[A-Z][A-Z0-9-]{1,31}-[0-9]{4}$/, { message: 'programmeId must look like BANTU-UMAK-2026' })
  readonly programmeId?: string;

  @IsOptional()
  @IsPeriod()
  readonly period?: string;

  @ApiPropertyOptional({ enum: BATCH_STATUSES })
  @IsOptional()
  @IsIn(BATCH_STATUSES)
  readonly status?: (typeof BATCH_STATUSES)[number];

  @IsOptional()
  @IsString()
  @MaxLength(128)
  readonly makerId?: string;
}
