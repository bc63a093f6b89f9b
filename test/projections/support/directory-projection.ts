import { batchViewsProjection } from '@salur/batches';
import { beneficiariesProjection } from '@salur/beneficiaries';
import { balancesProjection } from '@salur/payments';
import { programmesProjection } from '@salur/programmes';
import type { Projection } from '@salur/projections';

const PARTS = [programmesProjection, beneficiariesProjection, balancesProjection, batchViewsProjection];

/**
 * The list read models of four capabilities (programmes, beneficiaries, payments, batches) as one
 * projection: the engine tests need a projection with several tables and lookups that moves in
 * one transaction and one checkpoint. Each capability runs its own in the service.
 */
export const directoryProjection: Projection = {
  name: 'directory',
  readModels: PARTS.flatMap((part) => part.readModels),
  migrations: Object.fromEntries(
    PARTS.flatMap((part) =>
      Object.entries(part.migrations).map(([name, migration]) => [`${name}-${part.name}`, migration]),
    ),
  ),
};
