import {
  ConflictException,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
  Res,
  StreamableFile,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { loadStream } from '@salur/application';
import { batchDecider, batchStreamName } from '@salur/batches/domain';
import { EVENT_STORE, EventStore } from '@salur/event-store';
import { CurrentContext, RequestContext, Roles } from '@salur/http';
import { notFound } from '@salur/kernel';
import {
  BANK_QUEUES,
  BankJobs,
  type JobView,
  originOf,
  QueueAvailableGuard,
  requireRecorded,
  writeBankFileJobId,
} from '@salur/queue';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { BankFileWriter, sha256Of } from '../application/bank-file-writer';

import { BatchFileParams, BatchFileQuery } from './bank-file.dto';

const CONTENT_TYPES = { pain001: 'application/xml; charset=utf-8', csv: 'text/csv; charset=utf-8' } as const;

@ApiTags('bank files')
@ApiBearerAuth()
@Controller('batches')
export class BankFilesController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly jobs: BankJobs,
    private readonly writer: BankFileWriter,
  ) {}

  /** Writes the approved batch's pain.001 and bank CSV (a job: one per batch); 404 for an unknown batch. */
  @Post(':batchId/file')
  @HttpCode(202)
  @Roles('bank-integration', 'finance-officer')
  @UseGuards(QueueAvailableGuard)
  async write(@Param() { batchId }: BatchFileParams, @CurrentContext() context: RequestContext): Promise<JobView> {
    await requireRecorded(this.store, batchStreamName(batchId), () =>
      notFound('BATCH_NOT_FOUND', `No batch ${batchId}`),
    );
    return this.jobs.start(BANK_QUEUES.writeBankFile, writeBankFileJobId(batchId), {
      batchId,
      origin: originOf(context),
    });
  }

  /** The file as recorded: its bytes are checked against the recorded SHA-256 before they are sent. */
  @Get(':batchId/file')
  @Roles('finance-officer', 'bank-integration')
  async download(
    @Param() { batchId }: BatchFileParams,
    @Query() { format = 'pain001' }: BatchFileQuery,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<StreamableFile> {
    const { state } = await loadStream(this.store, batchStreamName(batchId), batchDecider);
    const file = state.status === 'absent' ? undefined : state.files.find((candidate) => candidate.format === format);
    if (!file) {
      throw new NotFoundException({
        statusCode: 404,
        code: 'BANK_FILE_NOT_FOUND',
        message: `No ${format} file for batch ${batchId}`,
      });
    }
    const path = join(this.writer.outboundDir(), file.fileName);
    const sha256 = await sha256Of(path).catch(() => undefined);
    if (sha256 !== file.sha256) {
      throw new ConflictException({
        statusCode: 409,
        code: 'BANK_FILE_CHANGED',
        message: 'The file on disk is missing or differs from the recorded SHA-256; write it again',
      });
    }
    response.setHeader('x-content-sha256', file.sha256);
    return new StreamableFile(createReadStream(path), {
      type: CONTENT_TYPES[format],
      disposition: `attachment; filename="${file.fileName}"`,
    });
  }
}
