import type { Projection } from '@salur/projections';
import { BENEFICIARIES_MIGRATIONS } from './beneficiaries.migrations';
import { beneficiariesReadModel } from './beneficiaries.read-model';

/** The beneficiary list (GET /beneficiaries). */
export const beneficiariesProjection: Projection = {
  name: 'beneficiaries',
  readModels: [beneficiariesReadModel],
  migrations: BENEFICIARIES_MIGRATIONS,
};
