import type { Projection } from '@salur/projections';
import { BALANCES_MIGRATIONS } from './balances.migrations';
import { balancePaymentsReadModel, balancesReadModel } from './balances.read-model';

/**
 * Beneficiary balances per programme, and the payments behind each figure. The payments table
 * comes first: the balances look their payments up in it (see Lookup).
 */
export const balancesProjection: Projection = {
  name: 'balances',
  readModels: [balancePaymentsReadModel, balancesReadModel],
  migrations: BALANCES_MIGRATIONS,
};
