import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsPlainText, IsRecordId, PageQueryDto } from '@salur/http';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { BANK_EXCEPTION_REASONS, BANK_EXCEPTION_STATUSES } from '../domain';
import { BANK_EXCEPTION_COUNT_KINDS } from '../read-models/bank-exceptions.tables';

const SHA256 = /^[0-9a-f]{64}$/;

export class BankExceptionParams {
  @ApiProperty({ format: 'uuid', description: 'Derived from the file SHA-256 and the line' })
  @IsRecordId()
  readonly exceptionId!: string;
}

export class BankExceptionListQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: BANK_EXCEPTION_STATUSES })
  @IsOptional()
  @IsIn(BANK_EXCEPTION_STATUSES)
  readonly status?: (typeof BANK_EXCEPTION_STATUSES)[number];

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsRecordId()
  readonly batchId?: string;

  @ApiPropertyOptional({ description: 'The SHA-256 of the bank file (64 lower-case hex digits)' })
  @IsOptional()
  @Matches(SHA256, { message: 'sha256 must be 64 lower-case hex digits' })
  readonly sha256?: string;

  @ApiPropertyOptional({ enum: BANK_EXCEPTION_REASONS })
  @IsOptional()
  @IsIn(BANK_EXCEPTION_REASONS)
  readonly reason?: (typeof BANK_EXCEPTION_REASONS)[number];
}

export class BankExceptionCountsQuery extends PageQueryDto {
  @ApiProperty({ enum: BANK_EXCEPTION_COUNT_KINDS })
  @IsIn(BANK_EXCEPTION_COUNT_KINDS)
  readonly kind!: (typeof BANK_EXCEPTION_COUNT_KINDS)[number];
}

export class AssignBankExceptionDto {
  @ApiProperty({ example: 'bank-operator-1', description: 'The user who works the item' })
  @IsString()
  @MaxLength(200)
  @IsPlainText()
  readonly assigneeId!: string;
}

/** The reason is checked by the decider (RESOLUTION_REASON_REQUIRED), so a missing one is refused like an empty one. */
export class ResolveBankExceptionDto {
  @ApiProperty({ example: 'The bank confirmed the line belongs to another client; nothing to book' })
  @IsOptional()
  @IsString()
  @MaxLength(2_000)
  @IsPlainText()
  readonly reason?: string;
}
