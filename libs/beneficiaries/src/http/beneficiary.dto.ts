import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsPlainText, IsProgrammeId, IsRecordId, PageQueryDto } from '@salur/http';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { EXIT_REASONS } from '../domain';

/** Shapes only: strings everywhere (NIKs above 2^53 and leading zeros survive); the domain checks the rules. */
export class BankAccountDto {
  @ApiProperty({ example: '002' })
  @IsString()
  @MaxLength(3)
  readonly bankCode!: string;

  @ApiProperty({ example: '001901000378301', description: 'Digits as a string: leading zeros are kept' })
  @IsString()
  @MaxLength(20)
  readonly accountNumber!: string;

  @ApiProperty({ example: 'SITI AMINAH' })
  @IsString()
  @MaxLength(100)
  @IsPlainText()
  readonly accountHolderName!: string;
}

export class EnrolBeneficiaryDto {
  @ApiProperty({ example: '1606014509850001', description: '16 digits, as a string' })
  @IsString()
  @MaxLength(16)
  readonly nik!: string;

  @ApiProperty({ example: '1606010101100001' })
  @IsString()
  @MaxLength(16)
  readonly kk!: string;

  @ApiProperty({ example: 'SITI AMINAH' })
  @IsString()
  @MaxLength(100)
  @IsPlainText()
  readonly name!: string;

  @ApiProperty({ example: '16.06.01.2001', description: 'Province.regency.district.village (Kemendagri)' })
  @IsString()
  @MaxLength(13)
  readonly regionCode!: string;

  @ValidateNested()
  @Type(() => BankAccountDto)
  readonly bankAccount!: BankAccountDto;
}

export class ReasonDto {
  @ApiProperty({ example: 'verified at the village office' })
  @IsString()
  @MaxLength(500)
  @IsPlainText()
  readonly reason!: string;
}

export class ChangeBankAccountDto extends ReasonDto {
  @ValidateNested()
  @Type(() => BankAccountDto)
  readonly bankAccount!: BankAccountDto;
}

/** Why an admin asks for a beneficiary's personal data to be erased (itself personal data: sealed). */
export class ErasureRequestDto {
  @ApiProperty({ example: 'the data subject asked for deletion under UU 27/2022, letter of 2031-04-02' })
  @IsString()
  @MaxLength(500)
  @IsPlainText()
  readonly reason!: string;
}

export class ExitBeneficiaryDto {
  @ApiProperty({ enum: EXIT_REASONS })
  @IsIn(EXIT_REASONS)
  readonly reason!: (typeof EXIT_REASONS)[number];

  @IsOptional()
  @IsString()
  @MaxLength(500)
  @IsPlainText()
  readonly note?: string;
}

const BENEFICIARY_STATUSES = ['active', 'suspended', 'exited', 'erased'] as const;

export class BeneficiaryParams {
  @ApiProperty({ format: 'uuid' })
  @IsRecordId()
  readonly beneficiaryId!: string;
}

export class ProgrammeBeneficiariesParams {
  @ApiProperty({ example: 'BANTU-UMAK-2026' })
  @IsProgrammeId()
  readonly programmeId!: string;
}

export class BeneficiaryListQuery extends PageQueryDto {
  @ApiPropertyOptional({ example: 'BANTU-UMAK-2026' })
  @IsOptional()
  @IsProgrammeId()
  readonly programmeId?: string;

  @ApiPropertyOptional({ enum: BENEFICIARY_STATUSES })
  @IsOptional()
  @IsIn(BENEFICIARY_STATUSES)
  readonly status?: (typeof BENEFICIARY_STATUSES)[number];

  @ApiPropertyOptional({ example: '16.06', description: 'Province, regency, district or village prefix' })
  @IsOptional()
  @Matches(/^[0-9.]{1,13}$/, { message: 'regionCodePrefix must be digits and dots, e.g. 16.06' })
  readonly regionCodePrefix?: string;

  @ApiPropertyOptional({
    example: '1606014509850001',
    description:
      'A whole NIK (16 digits): a search by personal data, for roles that see it in clear; recorded and rate-limited',
  })
  @IsOptional()
  @Matches(/^[0-9]{16}$/, { message: 'nik must be 16 digits' })
  readonly nik?: string;

  @ApiPropertyOptional({ example: '1606010101100001', description: 'A whole KK (16 digits), like nik' })
  @IsOptional()
  @Matches(/^[0-9]{16}$/, { message: 'kk must be 16 digits' })
  readonly kk?: string;
}
