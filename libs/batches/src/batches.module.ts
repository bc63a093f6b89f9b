import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { BankOutcomePass } from './application/bank-outcome-pass';
import { BatchBuilder } from './application/batch-builder';
import { BatchSubmission } from './application/batch-submission';
import { BATCH_HANDLERS, CloseBatchHandler } from './application/batch.handlers';
import { BatchWorkflows } from './application/batch-workflows';
import { BatchViewsController } from './http/batch-views.controller';
import { BatchesController } from './http/batches.controller';
import { BankOutcomePassProcessor } from './jobs/bank-outcome-pass.processor';
import { BuildBatchesProcessor } from './jobs/build-batches.processor';
import { BatchQueries } from './read-models/batch.queries';
import { BatchViewQueries } from './read-models/batch-views.queries';
import { batchViewsProjection } from './read-models/batch-views.projection';

const BATCH_JOB_SERVICES = [BatchWorkflows, BatchBuilder, CloseBatchHandler, BankOutcomePass];

/**
 * The batch workflows and the use cases the batches jobs run (building a round's batches, the
 * scheduled pass), for the workers (JobsModule.workers) and the API alike: wherever it runs,
 * BatchWorkflows settles what a crash left undone. CloseBatchHandler is here rather than with the
 * HTTP handlers because the scheduled pass expires batches through it (the API's command bus
 * still finds it). Needs EVENT_STORE and LEDGER_CONFIG.
 */
@Module({ providers: BATCH_JOB_SERVICES, exports: BATCH_JOB_SERVICES })
export class BatchJobsModule {}

/**
 * Batches over HTTP: making, approving, changing, closing and submitting them; the batch list
 * and views. Needs EVENT_STORE, LEDGER_CONFIG and the read models (ProjectionsModule).
 */
@Module({
  imports: [CqrsModule, BatchJobsModule],
  controllers: [BatchesController, BatchViewsController],
  providers: [...BATCH_HANDLERS, BatchSubmission, BatchQueries, BatchViewQueries],
})
export class BatchesModule {}

/** What the batches capability gives the apps to run (the lists: libs/ledger). */
export const BATCH_PROJECTIONS = [batchViewsProjection];
export const BATCH_JOB_PROCESSORS = [BuildBatchesProcessor, BankOutcomePassProcessor];
