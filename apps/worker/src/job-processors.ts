import type { Type } from '@nestjs/common';
import { BANK_JOB_PROCESSORS } from '@salur/bank-integration';
import type { JobProcessor } from '@salur/queue';

/**
 * Every job the worker app runs, in one list shared by the worker app and the embedded default:
 * open round, build batches, write bank files, ingest bank results.
 */
export const JOB_PROCESSOR_TYPES: ReadonlyArray<Type<JobProcessor>> = [...BANK_JOB_PROCESSORS];
