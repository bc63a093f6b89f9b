import type { Type } from '@nestjs/common';
import type { JobProcessor } from '@salur/queue';

/**
 * Every job the worker app runs, in one list shared by the worker app and the embedded default.
 * Empty until the bank-integration capability adds its jobs (open round, build batches, write
 * bank files, ingest results).
 */
export const JOB_PROCESSOR_TYPES: ReadonlyArray<Type<JobProcessor>> = [];
