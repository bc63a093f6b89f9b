import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsPeriod, IsProgrammeId, IsRecordId, PageQueryDto } from '@salur/http';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const USER_ID = /^[A-Za-z0-9._@-]{1,128}$/;
const EVENT_TYPES = /^[A-Za-z][A-Za-z0-9.]{0,79}(,[A-Za-z][A-Za-z0-9.]{0,79}){0,19}$/;

/** Filters of the audit trail; `limit` and `cursor` page it (an export takes at most `limit` rows after `cursor`). */
export class AuditTrailQuery extends PageQueryDto {
  @IsOptional()
  @IsRecordId()
  readonly beneficiaryId?: string;

  @ApiPropertyOptional({ example: '1606014509850001' })
  @IsOptional()
  @Matches(/^[0-9]{16}$/, { message: 'nik must be 16 digits' })
  readonly nik?: string;

  @IsOptional()
  @Matches(/^[0-9]{16}$/, { message: 'kk must be 16 digits' })
  readonly kk?: string;

  @ApiPropertyOptional({ example: '16.06', description: 'A province, regency, district or village code' })
  @IsOptional()
  @IsString()
  @MaxLength(13)
  readonly regionCodePrefix?: string;

  @IsOptional()
  @IsRecordId()
  readonly batchId?: string;

  @IsOptional()
  @IsRecordId()
  readonly paymentId?: string;

  @IsOptional()
  @IsProgrammeId()
  readonly programmeId?: string;

  @IsOptional()
  @IsPeriod()
  readonly period?: string;

  @ApiPropertyOptional({ description: 'User id of the actor' })
  @IsOptional()
  @Matches(USER_ID, { message: 'actorId must be a user id' })
  readonly actorId?: string;

  @ApiPropertyOptional({
    example: 'PaymentCredited,PaymentRejected',
    description: 'Event types, comma-separated (at most 20)',
  })
  @IsOptional()
  @Matches(EVENT_TYPES, { message: 'type must be up to 20 event types, comma-separated' })
  readonly type?: string;

  @ApiPropertyOptional({ description: 'Recorded at or after this instant' })
  @IsOptional()
  @Matches(ISO_INSTANT, { message: 'from must be an ISO-8601 date or instant' })
  readonly from?: string;

  @ApiPropertyOptional({ description: 'Recorded before this instant' })
  @IsOptional()
  @Matches(ISO_INSTANT, { message: 'to must be an ISO-8601 date or instant' })
  readonly to?: string;
}
