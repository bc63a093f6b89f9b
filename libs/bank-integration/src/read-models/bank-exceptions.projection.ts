import type { Projection } from '@salur/projections';
import { BANK_EXCEPTIONS_MIGRATIONS } from './bank-exceptions.migrations';
import {
  bankExceptionCountsReadModel,
  bankExceptionItemsReadModel,
  bankExceptionPaymentsReadModel,
} from './bank-exceptions.read-model';

/** The exception queue: items raised by bank files and short credits, their handling, counts per batch and file. */
export const bankExceptionsProjection: Projection = {
  name: 'bank-exceptions',
  readModels: [bankExceptionPaymentsReadModel, bankExceptionItemsReadModel, bankExceptionCountsReadModel],
  migrations: BANK_EXCEPTIONS_MIGRATIONS,
};
