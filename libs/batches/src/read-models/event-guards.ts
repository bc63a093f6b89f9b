import { domainEventsOf } from '@salur/application';
import { BATCH_EVENTS } from '../domain';
import { BANK_FILE_EVENTS } from '@salur/bank-integration/domain';
import { PAYMENT_EVENTS } from '@salur/payments/domain';

/* The facts these read models read, each through its capability's registry (see toDomainEvent). */
export const bankFileEvent = domainEventsOf(BANK_FILE_EVENTS);
export const batchEvent = domainEventsOf(BATCH_EVENTS);
export const paymentEvent = domainEventsOf(PAYMENT_EVENTS);
