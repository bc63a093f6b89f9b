import { BANK_EXCEPTION_EVENTS, BANK_FILE_EVENTS } from '@salur/bank-integration/domain';
import { BATCH_EVENTS } from '@salur/batches/domain';
import { BENEFICIARY_EVENTS } from '@salur/beneficiaries/domain';
import type { DomainEvent, EventRegistry } from '@salur/kernel';
import { PAYMENT_EVENTS } from '@salur/payments/domain';
import { PROGRAMME_EVENTS } from '@salur/programmes/domain';
import { BANK_JOB_EVENTS, LEDGER_EVENTS } from '@salur/queue';
import { LEDGER_MIGRATION_EVENTS } from './migration';

/*
 * The compiler already refuses a registry that misses a type of its union or lists one outside
 * it. What it cannot see: the count of each union (a type added to the union and the registry by
 * mistake shows here), two capabilities claiming one type (a recorded event would be read as
 * both), and an upcaster filed under a type its registry does not list (it would never run).
 */
const REGISTRIES: ReadonlyArray<readonly [string, EventRegistry<DomainEvent>, number]> = [
  ['programmes', PROGRAMME_EVENTS, 7],
  ['beneficiaries', BENEFICIARY_EVENTS, 7],
  ['payments', PAYMENT_EVENTS, 14],
  ['batches', BATCH_EVENTS, 12],
  ['bank files', BANK_FILE_EVENTS, 2],
  ['bank exceptions', BANK_EXCEPTION_EVENTS, 2],
  ['bank jobs', BANK_JOB_EVENTS, 3],
  ['ledger identity', LEDGER_EVENTS, 1],
  ['ledger migration', LEDGER_MIGRATION_EVENTS, 1],
];

describe('the event registries', () => {
  it.each(REGISTRIES)('%s lists every type of its union', (_name, registry, count) => {
    expect(registry.types.size).toBe(count);
  });

  it('give each event type to one capability', () => {
    const all = REGISTRIES.flatMap(([, registry]) => [...registry.types]);
    expect(all.filter((type, index) => all.indexOf(type) !== index)).toEqual([]);
  });

  it.each(REGISTRIES)('%s has upcasters only for its own types', (_name, registry) => {
    for (const upcaster of registry.upcasters) expect(registry.types).toContain(upcaster.type);
  });
});
