import type { Projection } from './projection';
import { migrationsOf } from './migrations';

const migration = { up: async () => undefined };
const projection = (name: string): Projection => ({ name, readModels: [], migrations: { '0001-tables': migration } });

describe('read-model migrations', () => {
  it('names each migration after its owner, the engine first', () => {
    expect(Object.keys(migrationsOf([projection('directory'), projection('balances')])).sort()).toEqual([
      '0-engine/0001-checkpoints',
      'balances/0001-tables',
      'directory/0001-tables',
    ]);
  });

  it('refuses a projection name that could sort before the engine or clash', () => {
    expect(() => migrationsOf([projection('0-engine')])).toThrow(/must match/);
    expect(() => migrationsOf([projection('Directory')])).toThrow(/must match/);
    expect(() => migrationsOf([projection('directory'), projection('directory')])).toThrow(/registered twice/);
  });
});
