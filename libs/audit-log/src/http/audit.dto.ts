import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

const ANY_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** A tree size: a decimal without leading zeros, at most 16 digits (below 2^53). */
const TREE_SIZE = /^(0|[1-9][0-9]{0,15})$/;
const MAX_NOTE_CHARACTERS = 65_536;

export class PaymentProofParams {
  @ApiProperty({ format: 'uuid' })
  @Matches(ANY_UUID, { message: 'paymentId must be a lower-case UUID' })
  readonly paymentId!: string;
}

export class BeneficiaryProofParams {
  @ApiProperty({ format: 'uuid' })
  @Matches(ANY_UUID, { message: 'beneficiaryId must be a lower-case UUID' })
  readonly beneficiaryId!: string;
}

export class BatchProofParams {
  @ApiProperty({ format: 'uuid' })
  @Matches(ANY_UUID, { message: 'batchId must be a lower-case UUID' })
  readonly batchId!: string;
}

export class ProofQuery {
  @ApiPropertyOptional({
    description: 'The size of a checkpoint you saved earlier: the document then carries a consistency proof from it',
    example: '1024',
  })
  @IsOptional()
  @Matches(TREE_SIZE, { message: 'since must be a tree size (a whole number)' })
  readonly since?: string;
}

export class CheckpointParams {
  @ApiProperty({ example: '1024' })
  @Matches(TREE_SIZE, { message: 'size must be a tree size (a whole number)' })
  readonly size!: string;
}

export class ConsistencyQuery {
  @ApiProperty({ example: '1024' })
  @Matches(TREE_SIZE, { message: 'from must be a tree size (a whole number)' })
  readonly from!: string;

  @ApiProperty({ example: '2048' })
  @Matches(TREE_SIZE, { message: 'to must be a tree size (a whole number)' })
  readonly to!: string;
}

export class CosignatureDto {
  @ApiProperty({
    description: 'The checkpoint as served, with the witness’s signature line(s) added (C2SP tlog-cosignature)',
  })
  @IsString()
  @MaxLength(MAX_NOTE_CHARACTERS)
  readonly note!: string;
}

export class ConsistencyProofResponse {
  @ApiProperty() readonly fromSize!: number;
  @ApiProperty() readonly toSize!: number;
  @ApiProperty({ type: [String], description: 'base64 hashes, RFC 9162 section 2.1.4' }) readonly proof!: string[];
}
