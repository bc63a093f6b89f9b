import type { Projection } from '@salur/projections';
import { PROGRAMMES_MIGRATIONS } from './programmes.migrations';
import { programmesReadModel } from './programmes.read-model';

/** The programme list (GET /programmes). */
export const programmesProjection: Projection = {
  name: 'programmes',
  readModels: [programmesReadModel],
  migrations: PROGRAMMES_MIGRATIONS,
};
