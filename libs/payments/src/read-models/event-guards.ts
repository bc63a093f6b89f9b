import { domainEventsOf } from '@salur/application';
import { PAYMENT_EVENTS } from '../domain';
import { BATCH_EVENTS } from '@salur/batches/domain';

/* The facts these read models read, each through its capability's registry (see toDomainEvent). */
export const batchEvent = domainEventsOf(BATCH_EVENTS);
export const paymentEvent = domainEventsOf(PAYMENT_EVENTS);
