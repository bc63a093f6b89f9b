import { domainEventsOf } from '@salur/application';
import { BATCH_EVENTS } from '@salur/batches/domain';
import { BENEFICIARY_EVENTS } from '@salur/beneficiaries/domain';
import { PAYMENT_EVENTS } from '@salur/payments/domain';

/* The facts these read models read, each through its capability's registry (see toDomainEvent). */
export const batchEvent = domainEventsOf(BATCH_EVENTS);
export const beneficiaryEvent = domainEventsOf(BENEFICIARY_EVENTS);
export const paymentEvent = domainEventsOf(PAYMENT_EVENTS);
