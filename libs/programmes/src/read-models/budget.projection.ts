import type { Projection } from '@salur/projections';
import { BUDGET_MIGRATIONS } from './budget.migrations';
import { budgetPaymentsReadModel, budgetReadModel } from './budget.read-model';

/** Budget per programme: ceiling, reserved, released, credited, remaining. */
export const budgetProjection: Projection = {
  name: 'budget',
  readModels: [budgetPaymentsReadModel, budgetReadModel],
  migrations: BUDGET_MIGRATIONS,
};
