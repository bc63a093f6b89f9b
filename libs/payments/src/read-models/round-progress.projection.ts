import type { Projection } from '@salur/projections';
import { ROUND_PROGRESS_MIGRATIONS } from './round-progress.migrations';
import { roundBatchesReadModel, roundPaymentsReadModel, roundsReadModel } from './round-progress.read-model';

/** Round progress per programme period: its payments counted by stage. */
export const roundProgressProjection: Projection = {
  name: 'round-progress',
  readModels: [roundPaymentsReadModel, roundBatchesReadModel, roundsReadModel],
  migrations: ROUND_PROGRESS_MIGRATIONS,
};
