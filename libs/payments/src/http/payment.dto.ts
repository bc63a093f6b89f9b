import { ApiProperty } from '@nestjs/swagger';
import { IsPeriod } from '@salur/http';
import { IsString, Matches, MaxLength } from 'class-validator';

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
