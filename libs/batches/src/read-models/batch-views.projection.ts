import type { Projection } from '@salur/projections';
import { BATCH_VIEWS_MIGRATIONS } from './batch-views.migrations';
import { batchViewPaymentsReadModel, batchViewsReadModel } from './batch-views.read-model';

/** Batches with their approvals, bank file, results and reconciliation exceptions. */
export const batchViewsProjection: Projection = {
  name: 'batch-views',
  readModels: [batchViewPaymentsReadModel, batchViewsReadModel],
  migrations: BATCH_VIEWS_MIGRATIONS,
};
