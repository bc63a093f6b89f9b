import type { Projection } from '../engine/projection';
import { batchesReadModel } from './batches.read-model';
import { beneficiariesReadModel } from './beneficiaries.read-model';
import { DIRECTORY_MIGRATIONS } from './directory.migrations';
import { paymentsReadModel } from './payments.read-model';
import { programmesReadModel } from './programmes.read-model';

/**
 * The directory: what the API's list endpoints show. One projection for the four tables, so one
 * pass over the log and one transaction per batch keep them consistent with each other.
 */
export const directoryProjection: Projection = {
  name: 'directory',
  readModels: [programmesReadModel, beneficiariesReadModel, paymentsReadModel, batchesReadModel],
  migrations: DIRECTORY_MIGRATIONS,
};
