import { domainEventsOf } from '@salur/application';
import { PROGRAMME_EVENTS } from '../domain';
import { PAYMENT_EVENTS } from '@salur/payments/domain';

/* The facts these read models read, each through its capability's registry (see toDomainEvent). */
export const paymentEvent = domainEventsOf(PAYMENT_EVENTS);
export const programmeEvent = domainEventsOf(PROGRAMME_EVENTS);
