import { ApiProperty } from '@nestjs/swagger';
import { IsRecordId } from '@salur/http';
import { IsIn, IsOptional } from 'class-validator';

export class BatchFileParams {
  @IsRecordId()
  readonly batchId!: string;
}

export class BatchFileQuery {
  @ApiProperty({ enum: ['pain001', 'csv'], required: false, default: 'pain001' })
  @IsOptional()
  @IsIn(['pain001', 'csv'])
  readonly format?: 'pain001' | 'csv';
}
