import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

export class JobParams {
  @ApiProperty({ example: 'open-round.BANTU-UMAK-2026.2026-11.run-1' })
  @Matches(/^[a-z-]+\.[A-Za-z0-9.-]{1,200}$/, { message: 'jobId is not a bank-integration job id' })
  readonly jobId!: string;
}
