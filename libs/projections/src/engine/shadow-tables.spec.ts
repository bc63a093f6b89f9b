import { CamelCasePlugin, DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
// The ledger's own projections: every real table name must survive the shadow prefix.
import { LEDGER_PROJECTIONS } from '@salur/ledger';
import { ShadowTablesPlugin, sqlTableName } from './shadow-tables';

const db = new Kysely<Record<string, Record<string, unknown>>>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (kysely) => new SqliteIntrospector(kysely),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
  plugins: [new CamelCasePlugin()],
});

describe('shadow tables of a rebuild', () => {
  it('names every table as CamelCasePlugin does in SQL', () => {
    for (const { table } of LEDGER_PROJECTIONS.flatMap((projection) => projection.readModels)) {
      expect(db.selectFrom(table).selectAll().compile().sql).toBe(`select * from "${sqlTableName(table)}"`);
    }
  });

  it('points every statement of the projection at its shadows, other tables untouched, and records its indexes', () => {
    const projection = LEDGER_PROJECTIONS.find((candidate) => candidate.name === 'balances');
    const plugin = new ShadowTablesPlugin(projection!);
    const shadow = db.withPlugin(plugin);
    expect(
      shadow.selectFrom('balancesPayments').select('balancesPayments.id').where('id', '=', 'x').compile().sql,
    ).toBe('select "balances_payments__rebuild"."id" from "balances_payments__rebuild" where "id" = ?');
    expect(shadow.updateTable('projectionCheckpoints').set({ position: 1 }).compile().sql).toBe(
      'update "projection_checkpoints" set "position" = ?',
    );
    plugin.recordIndexes = true;
    const index = shadow.schema
      .createIndex('balances_by_x')
      .on('balancesBeneficiaries')
      .column('programmeId')
      .compile();
    expect(index.sql).toBe(
      'create index "balances_by_x__rebuild" on "balances_beneficiaries__rebuild" ("programme_id")',
    );
    expect(plugin.indexes.map((recorded) => recorded.name)).toEqual(['balances_by_x']);
    shadow.schema.dropIndex('balances_by_x').compile();
    expect(plugin.indexes).toEqual([]);
  });
});
