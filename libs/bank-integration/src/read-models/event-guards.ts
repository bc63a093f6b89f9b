import { domainEventsOf } from '@salur/application';
import { PAYMENT_EVENTS } from '@salur/payments/domain';
import { BANK_EXCEPTION_EVENTS, BANK_FILE_EVENTS } from '../domain';

/* The facts these read models read, each through its capability's registry (see toDomainEvent). */
export const bankFileEvent = domainEventsOf(BANK_FILE_EVENTS);
export const bankExceptionEvent = domainEventsOf(BANK_EXCEPTION_EVENTS);
export const paymentEvent = domainEventsOf(PAYMENT_EVENTS);
