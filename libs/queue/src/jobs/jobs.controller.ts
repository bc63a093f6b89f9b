import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '@salur/http';
import { BankJobs, JobView } from './bank-jobs';
import { JobParams } from './job.dto';

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('jobs')
export class JobsController {
  constructor(private readonly jobs: BankJobs) {}

  /** Jobs that failed for good (a permanent error, or every attempt used), newest first, at most 100. */
  @Get('failed')
  @Roles('admin', 'bank-integration')
  failed(): Promise<JobView[]> {
    return this.jobs.failed();
  }

  /** A job's state and progress ({ done, total, … }), and its result once completed. */
  @Get(':jobId')
  @Roles('programme-officer', 'finance-officer', 'bank-integration', 'admin')
  get(@Param() { jobId }: JobParams): Promise<JobView> {
    return this.jobs.find(jobId);
  }
}
