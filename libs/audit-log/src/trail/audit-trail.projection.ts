import type { Projection } from '@salur/projections';
import { AUDIT_TRAIL_MIGRATIONS } from './audit-trail.migrations';
import {
  auditBatchesReadModel,
  auditBeneficiariesReadModel,
  auditEventsReadModel,
  auditPaymentsReadModel,
  auditSubjectsReadModel,
} from './audit-trail.read-model';

/**
 * The audit trail: every event of the log, indexed by what it is about. The three lookups come
 * first: an event row reads who its payment's beneficiary is, and their NIK, KK and region.
 */
export const auditTrailProjection: Projection = {
  name: 'audit-trail',
  readModels: [
    auditBeneficiariesReadModel,
    auditPaymentsReadModel,
    auditBatchesReadModel,
    auditEventsReadModel,
    auditSubjectsReadModel,
  ],
  migrations: AUDIT_TRAIL_MIGRATIONS,
};
