import {
  Controller,
  HttpCode,
  Inject,
  PayloadTooLargeException,
  Post,
  Req,
  UnsupportedMediaTypeException,
  UseGuards,
  BadRequestException,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { CurrentContext, RequestContext, Roles } from '@salur/http';
import { BANK_QUEUES, BankJobs, ingestJobId, type JobView, originOf, QueueAvailableGuard } from '@salur/queue';
import type { IncomingMessage } from 'node:http';
import { BANK_INTEGRATION_CONFIG, BankIntegrationConfig } from '../bank-integration.config';
import { BankResultsIngestion } from '../application/bank-results-ingestion';
import { BankFileRefusedError } from '../domain';

@ApiTags('bank results')
@ApiBearerAuth()
@Controller('bank-results')
export class BankResultsController {
  constructor(
    private readonly jobs: BankJobs,
    private readonly ingestion: BankResultsIngestion,
    @Inject(BANK_INTEGRATION_CONFIG) private readonly config: BankIntegrationConfig,
  ) {}

  /**
   * A bank result file as the body: pain.002 or camt.054 (application/xml) or the CSV (text/csv).
   * Kept under its SHA-256 and ingested by a job named by it, so the same file twice is one job.
   */
  @Post()
  @HttpCode(202)
  @Roles('bank-integration')
  @UseGuards(QueueAvailableGuard)
  @ApiConsumes('application/xml', 'text/csv')
  @ApiBody({ description: 'pain.002.001.10, camt.054.001.08 or the bank result CSV' })
  async receive(
    @Req() request: IncomingMessage,
    @CurrentContext() context: RequestContext,
  ): Promise<JobView & { sha256: string; format: string }> {
    const contentType = String(request.headers['content-type'] ?? '');
    const kind = /^(application|text)\/xml/.test(contentType)
      ? 'xml'
      : contentType.startsWith('text/csv')
        ? 'csv'
        : undefined;
    if (!kind) throw new UnsupportedMediaTypeException('Send the bank file as application/xml or text/csv');
    const declared = Number(request.headers['content-length'] ?? '0');
    if (declared > this.config.maxResultFileBytes) throw this.tooLarge();
    const name = String(request.headers['x-file-name'] ?? 'bank-results');
    let file;
    try {
      file = await this.ingestion.receive(request, kind, name);
    } catch (error) {
      if (!(error instanceof BankFileRefusedError)) throw error;
      if (error.code === 'FILE_TOO_LARGE') throw this.tooLarge();
      throw new BadRequestException({ statusCode: 400, code: error.code, message: error.message });
    }
    const job = await this.jobs.start(BANK_QUEUES.ingestBankResults, ingestJobId(file.sha256), {
      file,
      origin: originOf(context),
    });
    return { ...job, sha256: file.sha256, format: file.format };
  }

  private tooLarge() {
    return new PayloadTooLargeException({
      statusCode: 413,
      code: 'PAYLOAD_TOO_LARGE',
      message: `A bank result file is at most ${this.config.maxResultFileBytes} bytes (BANK_RESULT_MAX_BYTES)`,
    });
  }
}
