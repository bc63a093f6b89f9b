import type { ModuleMetadata, Type } from '@nestjs/common';
import { personalDataFields, type PersonalDataFields } from '@salur/kernel';
import { AUDIT_PROJECTIONS } from '@salur/audit-log';
import {
  BANK_JOB_PROCESSORS,
  BANK_PROJECTIONS,
  BankIntegrationConfig,
  BankIntegrationJobsModule,
} from '@salur/bank-integration';
import { BATCH_JOB_PROCESSORS, BATCH_PROJECTIONS, BatchJobsModule } from '@salur/batches';
import { BENEFICIARY_PROJECTIONS } from '@salur/beneficiaries';
import { PAYMENT_JOB_PROCESSORS, PAYMENT_PROJECTIONS, PaymentJobsModule } from '@salur/payments';
import { PROGRAMME_PROJECTIONS } from '@salur/programmes';
import { BANK_PERSONAL_DATA } from '@salur/bank-integration/domain';
import { BATCH_PERSONAL_DATA } from '@salur/batches/domain';
import { BENEFICIARY_PERSONAL_DATA } from '@salur/beneficiaries/domain';
import { PAYMENT_PERSONAL_DATA } from '@salur/payments/domain';
import { PROGRAMME_PERSONAL_DATA } from '@salur/programmes/domain';
import type { Projection } from '@salur/projections';
import { eventStoreConfigFrom, openEventStore, type EventStore } from '@salur/event-store';
import { openSealingEventStore, personalDataConfigFrom } from '@salur/personal-data';
import type { Environment } from '@salur/config';
import type { JobProcessor } from '@salur/queue';

/*
 * The whole ledger, assembled from its capabilities: one list of the projections and one of the
 * job processors, shared by the apps (api, worker, cli), the tools and the tests. A capability
 * adds its own to its module file; this is the only place that names them all.
 */

/** Every projection, in the order the engine starts them. */
export const LEDGER_PROJECTIONS: readonly Projection[] = [
  ...PROGRAMME_PROJECTIONS,
  ...BENEFICIARY_PROJECTIONS,
  ...PAYMENT_PROJECTIONS,
  ...BATCH_PROJECTIONS,
  ...BANK_PROJECTIONS,
  ...AUDIT_PROJECTIONS,
];

/** Every job the worker app runs: open round, build batches, write bank files, ingest bank results. */
export const LEDGER_JOB_PROCESSORS: ReadonlyArray<Type<JobProcessor>> = [
  ...PAYMENT_JOB_PROCESSORS,
  ...BATCH_JOB_PROCESSORS,
  ...BANK_JOB_PROCESSORS,
];

/** The modules whose services the job processors run on, for JobsModule.workers' imports. */
export function ledgerJobModules(bankIntegration: BankIntegrationConfig): ModuleMetadata['imports'] {
  return [PaymentJobsModule, BatchJobsModule, BankIntegrationJobsModule.forRoot(bankIntegration)];
}

/** Every event field that carries personal data, and whose it is: sealed by libs/personal-data. */
export const LEDGER_PERSONAL_DATA: PersonalDataFields = personalDataFields(
  BENEFICIARY_PERSONAL_DATA,
  PAYMENT_PERSONAL_DATA,
  BATCH_PERSONAL_DATA,
  PROGRAMME_PERSONAL_DATA,
  BANK_PERSONAL_DATA,
);

/** The ledger's event store for a tool outside Nest (CLI commands): sealed as the apps see it. */
export async function openLedgerEventStore(env: Environment): Promise<EventStore> {
  const raw = await openEventStore(eventStoreConfigFrom(env));
  return openSealingEventStore(raw, personalDataConfigFrom(env), LEDGER_PERSONAL_DATA);
}

/** The one-off rewrite of a ledger written before personal data was sealed (issue 18). */
export * from './migration';
