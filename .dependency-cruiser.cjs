// @ts-check
/* global module */
/**
 * Import boundaries between the libs and apps, checked by `npm run lint` (depcruise over apps and libs).
 * test/layer-rule/boundaries.spec.ts proves every rule fires on test/layer-rule/fixtures/boundaries, a
 * miniature libs/ and apps/ that breaks each rule once; that is why every path below may carry its prefix.
 *
 * Spec files are exempt: every rule has `from.pathNot: SPEC`, so a *.spec.ts may import its own lib (or any
 * other) freely, while the rules keep applying to all non-spec sources.
 */

/** Matches the real tree (`libs/…`) and the fixture tree (`test/layer-rule/fixtures/boundaries/libs/…`). */
const ROOT = '^(?:test/layer-rule/fixtures/boundaries/)?';
const SPEC = '\\.spec\\.ts$';

/** The target layering of the libs, lowest first. A lib may import only libs of a lower layer. */
const LAYERS = [
  { name: 'layer 1 (kernel, config, observability)', libs: ['kernel', 'config', 'observability'] },
  { name: 'layer 2 (event-store)', libs: ['event-store'] },
  { name: 'layer 3 (application, database)', libs: ['application', 'database'] },
  { name: 'layer 4 (http)', libs: ['http'] },
  { name: 'layer 5, platform (queue, projections, personal-data)', libs: ['queue', 'projections', 'personal-data'] },
  { name: 'layer 6 (health)', libs: ['health'] },
  {
    name: 'layer 7, capabilities',
    libs: ['programmes', 'beneficiaries', 'payments', 'batches', 'bank-integration', 'audit-log'],
  },
  { name: 'layer 8, composition (ledger)', libs: ['ledger'] },
  { name: 'layer 9, the checker (invariants)', libs: ['invariants'] },
];
const CAPABILITY_LAYER = LAYERS.findIndex((layer) => layer.name.includes('capabilities'));
const CAPABILITIES = LAYERS[CAPABILITY_LAYER].libs;

/** `^…libs/(a|b)/` */
const libsPath = (libs) => `${ROOT}libs/(${libs.join('|')})/`;

/**
 * One rule per layer: a lib may not import a lib of its own layer (other than itself) or of a higher one,
 * nor an app. This also rules out cycles between libs. Two cases have their own rule and message, so no
 * import is reported twice: layers 1–4 importing a capability (platform-imports-no-capability), and one
 * capability importing another (capabilities-only-through-domain).
 */
const layerRules = LAYERS.map((layer, index) => {
  const isCapabilityLayer = layer.libs === CAPABILITIES;
  const sameLayer = isCapabilityLayer ? [] : layer.libs;
  const higher = LAYERS.slice(index + 1)
    .flatMap((above) => above.libs)
    .filter((lib) => !CAPABILITIES.includes(lib));
  return {
    name: 'no-lib-cycles-by-layer',
    severity: 'error',
    comment:
      `A lib of ${layer.name} imports a lib of the same or a higher layer, or an app. Layers, lowest first: ` +
      'kernel/config, event-store, application/database, platform, capabilities, invariants/ledger, apps. ' +
      'Import only downwards: move the shared code down a layer, or invert the dependency (port, event or ' +
      'a provider registered by the higher lib).',
    from: { path: libsPath(layer.libs), pathNot: SPEC },
    to: {
      path: [`${ROOT}libs/(?:${[...sameLayer, ...higher].join('|')})/`, `${ROOT}apps/`],
      // Importing your own lib is fine ($1 is the importing lib).
      pathNot: `${ROOT}libs/$1/`,
    },
  };
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'This module is part of an import cycle. Break it: move what both sides need into a third module, ' +
        'or depend on an interface or event instead of the concrete module.',
      from: { pathNot: SPEC },
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'platform-imports-no-capability',
      severity: 'error',
      comment:
        'A platform or foundation lib (kernel, config, event-store, application, database, http, queue, ' +
        'projections, personal-data, health) imports a capability, not even its domain. Platform code stays ' +
        'generic: let the capability register itself with the platform (a provider, handler or projection it ' +
        'contributes) instead of the platform reaching up into it.',
      from: { path: libsPath(LAYERS.slice(0, CAPABILITY_LAYER).flatMap((layer) => layer.libs)), pathNot: SPEC },
      to: { path: libsPath(CAPABILITIES) },
    },
    {
      name: 'capabilities-only-through-domain',
      severity: 'error',
      comment:
        'A capability imports another capability outside its domain folder (its index.ts, module, ' +
        'application, http or read models). Import only libs/<other>/src/domain (the @salur/<other>/domain ' +
        'alias); if you need more, the code belongs in invariants or ledger, or the other capability should ' +
        'publish it as a domain event.',
      from: { path: `${ROOT}libs/(${CAPABILITIES.join('|')})/src/`, pathNot: SPEC },
      to: {
        path: `${ROOT}libs/(?:${CAPABILITIES.join('|')})/src/`,
        // Your own lib, or another capability's domain folder, is fine ($1 is the importing capability).
        pathNot: [`${ROOT}libs/$1/`, `${ROOT}libs/[^/]+/src/domain/`],
      },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'Domain code imports only other domain folders, libs/kernel/src, node built-ins, decimal.js and the pure parsers csv-parse and saxes. ' +
        'No Nest, EventStoreDB client, BullMQ, ioredis, pg, better-sqlite3 or kysely, and no application, ' +
        'http or read-model code: put that in an adapter or Nest module outside domain/ (ESLint checks part ' +
        'of this too).',
      from: { path: `${ROOT}libs/[^/]+/src/domain/`, pathNot: SPEC },
      to: {
        dependencyTypesNot: ['core'],
        // csv-parse and saxes are pure parsers (no I/O): the bank file formats are domain rules.
        pathNot: [
          `${ROOT}libs/[^/]+/src/domain/`,
          `${ROOT}libs/kernel/src/`,
          '(?:^|/)node_modules/(?:decimal\\.js|csv-parse|saxes)/',
        ],
      },
    },
    {
      name: 'apps-use-public-surface',
      severity: 'error',
      comment:
        'An app imports a file deep inside a lib. Apps use only a lib’s public surface, libs/<x>/src/index.ts ' +
        '(the @salur/<x> alias): export what you need from that index.ts and import it from @salur/<x>.',
      from: { path: `${ROOT}apps/`, pathNot: SPEC },
      to: { path: `${ROOT}libs/[^/]+/src/`, pathNot: `${ROOT}libs/[^/]+/src/index\\.ts$` },
    },
    {
      name: 'apps-are-separate',
      severity: 'error',
      comment:
        'An app imports another app. Apps are separate deployables: move the shared code into a lib and ' +
        'import it from both through @salur/<x>.',
      from: { path: `${ROOT}apps/([^/]+)/`, pathNot: SPEC },
      to: { path: `${ROOT}apps/`, pathNot: `${ROOT}apps/$1/` },
    },
  ],
  options: {
    // npm packages stay in the graph (domain-is-pure needs to see them) but are not cruised into.
    doNotFollow: { path: '(?:^|/)node_modules/' },
    exclude: { path: '(?:^|/)dist/' },
    // Type-only imports couple layers too.
    tsPreCompilationDeps: true,
    // The @salur/* aliases.
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
