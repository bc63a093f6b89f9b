import { ApiProperty } from '@nestjs/swagger';
import { IsPeriod, IsPlainText, IsProgrammeId, IsRecordId } from '@salur/http';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { BatchViewListQuery } from './batch-view.dto';

/** The configured maximum is checked by the handler; this bounds the request itself. */
const MAX_PAYMENT_IDS_IN_REQUEST = 5_000;

export class CreateBatchDto {
  @ApiProperty({ example: 'BANTU-UMAK-2026' })
  @IsProgrammeId()
  readonly programmeId!: string;

  @IsPeriod()
  readonly period!: string;

  @ApiProperty({ type: [String], format: 'uuid' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PAYMENT_IDS_IN_REQUEST)
  @IsRecordId({ each: true })
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
  @IsRecordId({ each: true })
  readonly paymentIds!: string[];

  @ApiProperty({ example: 'beneficiary exited before payment' })
  @IsString()
  @MaxLength(500)
  @IsPlainText()
  readonly reason!: string;
}

export class BatchReasonDto {
  @ApiProperty({ example: 'wrong period selected' })
  @IsString()
  @MaxLength(500)
  @IsPlainText()
  readonly reason!: string;
}

export class BatchParams {
  @ApiProperty({ format: 'uuid' })
  @IsRecordId()
  readonly batchId!: string;
}

/** The batch list filters as the batch views do (one fold), and by maker too. */
export class BatchListQuery extends BatchViewListQuery {
  @IsOptional()
  @IsString()
  @MaxLength(128)
  readonly makerId?: string;
}
