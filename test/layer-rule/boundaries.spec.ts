import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '..', '..');
const depcruiseBin = join(root, 'node_modules', '.bin', 'depcruise');
const fixtures = 'test/layer-rule/fixtures/boundaries/';

interface PathRestriction {
  readonly path?: string;
  readonly pathNot?: string;
}

interface Rule {
  readonly name: string;
  readonly from: PathRestriction;
  readonly to: PathRestriction & Record<string, unknown>;
}

interface CruiseResult {
  readonly summary: {
    readonly violations: Array<{ from: string; to: string; rule: { name: string } }>;
    readonly ruleSetUsed: { forbidden: Rule[] };
  };
}

/** Runs the project's real dependency-cruiser with .dependency-cruiser.cjs over the fixture tree, as lint does. */
async function cruise(): Promise<CruiseResult> {
  const args = ['--config', '.dependency-cruiser.cjs', '--output-type', 'json', fixtures];
  const run = promisify(execFile)(depcruiseBin, args, { cwd: root, maxBuffer: 64 * 1024 * 1024 }).catch(
    // depcruise may exit non-zero when it finds violations; the JSON report is still on stdout.
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
  );
  const { stdout } = await run;
  return JSON.parse(stdout) as CruiseResult;
}

/** The violations per rule name, as `from -> to` relative to the fixture tree. */
function byRule(result: CruiseResult): Record<string, string[]> {
  const grouped: Record<string, string[]> = {};
  for (const { from, to, rule } of result.summary.violations) {
    const edge = `${from.replace(fixtures, '')} -> ${to.replace(fixtures, '')}`;
    (grouped[rule.name] ??= []).push(edge);
  }
  return Object.fromEntries(Object.entries(grouped).map(([name, edges]) => [name, edges.sort()]));
}

/**
 * The names of the path-only rules that forbid importing `to` from `from`, matched as dependency-cruiser
 * does: `$1` in `to` is the first group `from.path` captured.
 */
function forbiddenBy(rules: Rule[], from: string, to: string): string[] {
  const names = rules
    .filter((rule) => Object.keys(rule.to).every((key) => key === 'path' || key === 'pathNot'))
    .filter((rule) => {
      const match = new RegExp(rule.from.path ?? '').exec(from);
      if (!match || (rule.from.pathNot && new RegExp(rule.from.pathNot).test(from))) return false;
      const groups = match.filter((group) => typeof group === 'string');
      const fill = (pattern: string) =>
        groups.reduce((all, group, index) => all.replaceAll(`$${index}`, group), pattern);
      return (
        (!rule.to.path || new RegExp(fill(rule.to.path)).test(to)) &&
        (!rule.to.pathNot || !new RegExp(fill(rule.to.pathNot)).test(to))
      );
    })
    .map((rule) => rule.name);
  return [...new Set(names)];
}

/** The target layering, lowest first, as the restructure describes it. */
const layers = [
  ['kernel', 'config'],
  ['event-store'],
  ['application', 'database'],
  ['http'],
  ['queue', 'projections', 'personal-data'],
  ['health'],
  ['programmes', 'beneficiaries', 'payments', 'batches', 'bank-integration', 'audit-log'],
  ['ledger'],
  ['invariants'],
];
const capabilities = layers[6];
const layerOf = (lib: string) => layers.findIndex((layer) => layer.includes(lib));

/** Proves the import boundaries in .dependency-cruiser.cjs fire, so a green lint really means a clean layering. */
describe('import boundaries: libs import downwards, apps use a lib’s public surface', () => {
  let result: CruiseResult;

  beforeAll(async () => {
    result = await cruise();
  });

  it('reports each bad fixture under its rule, and none of the good ones', () => {
    expect(byRule(result)).toEqual({
      'no-circular': ['libs/kernel/src/cycle-a.ts -> libs/kernel/src/cycle-b.ts'],
      'no-lib-cycles-by-layer': ['libs/event-store/src/bad-layer.ts -> libs/application/src/index.ts'],
      'platform-imports-no-capability': ['libs/projections/src/bad-platform.ts -> libs/payments/src/domain/payment.ts'],
      'capabilities-only-through-domain': [
        'libs/batches/src/bad-capability.ts -> libs/payments/src/payments.module.ts',
      ],
      'domain-is-pure': ['libs/payments/src/domain/bad-pure.ts -> node_modules/@nestjs/common/index.js'],
      'apps-use-public-surface': ['apps/api/src/bad-surface.ts -> libs/payments/src/payments.module.ts'],
      'apps-are-separate': ['apps/api/src/bad-apps.ts -> apps/worker/src/main.ts'],
    });
  });

  it('forbids exactly the upward, sideways and app imports of the layering between every pair of libs', () => {
    const rules = result.summary.ruleSetUsed.forbidden;
    for (const from of layers.flat()) {
      for (const to of layers.flat()) {
        if (from === to) continue;
        const toCapability = capabilities.includes(to);
        const expected = (throughDomain: boolean): string[] => {
          if (capabilities.includes(from) && toCapability)
            return throughDomain ? [] : ['capabilities-only-through-domain'];
          if (layerOf(from) < layerOf(capabilities[0]) && toCapability) return ['platform-imports-no-capability'];
          // Downwards is fine; the same layer (another lib) or a higher one is not.
          return layerOf(to) < layerOf(from) ? [] : ['no-lib-cycles-by-layer'];
        };
        const source = `libs/${from}/src/some.service.ts`;
        expect([from, to, forbiddenBy(rules, source, `libs/${to}/src/index.ts`)]).toEqual([from, to, expected(false)]);
        expect([from, to, forbiddenBy(rules, source, `libs/${to}/src/domain/thing.ts`)]).toEqual([
          from,
          to,
          expected(true),
        ]);
      }
      expect(forbiddenBy(rules, `libs/${from}/src/some.service.ts`, 'apps/api/src/main.ts')).toEqual([
        'no-lib-cycles-by-layer',
      ]);
      expect(forbiddenBy(rules, 'apps/api/src/main.ts', `libs/${from}/src/index.ts`)).toEqual([]);
      expect(forbiddenBy(rules, 'apps/api/src/main.ts', `libs/${from}/src/domain/index.ts`)).toEqual([
        'apps-use-public-surface',
      ]);
    }
  });

  it('lets spec files import freely', () => {
    const rules = result.summary.ruleSetUsed.forbidden;
    expect(forbiddenBy(rules, 'libs/kernel/src/money.spec.ts', 'libs/payments/src/payments.module.ts')).toEqual([]);
    expect(forbiddenBy(rules, 'apps/api/src/main.spec.ts', 'apps/worker/src/main.ts')).toEqual([]);
  });
});
