import { domainEventsOf } from '@salur/application';
import { BENEFICIARY_EVENTS } from '../domain';

/* The facts these read models read, each through its capability's registry (see toDomainEvent). */
export const beneficiaryEvent = domainEventsOf(BENEFICIARY_EVENTS);
