import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import draft07MetaSchema from 'ajv/dist/refs/json-schema-draft-07.json';
import { parse as parseYaml } from 'yaml';

const ROOT = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

interface Service {
  readonly image?: string;
  readonly command?: string[];
  readonly environment?: Record<string, string | number> | string[];
  readonly env_file?: string | Array<string | { path: string }>;
  readonly volumes?: Array<string | { type: string; source: string; target: string }>;
  readonly ports?: string[];
  readonly healthcheck?: { test: string[]; disable?: boolean };
  readonly depends_on?: Record<string, { condition: string }>;
}
interface ComposeFile {
  readonly services: Record<string, Service>;
  readonly volumes: Record<string, unknown>;
}

// Merge keys (`<<: *app`) as Compose reads them: YAML 1.1's, which the yaml package applies on request.
const compose = parseYaml(read('docker-compose.yml'), { merge: true }) as ComposeFile;
const APPS = ['api', 'worker', 'projector'];
/** The apps that write bank files: the worker (outbound files) and the API (received bank answers). */
const BANK_FILE_WRITERS = ['api', 'worker'];
/** Names of settings that hold secrets: they may only be taken from .env, never written here. */
const SECRET_NAME = /SECRET|PASSWORD|TOKEN|_KEY$|_KEYS$/;
const INTERPOLATION_ONLY = /^\$\{[A-Z_][A-Z0-9_]*(:-)?\}$/;

const environmentOf = (service: Service): Record<string, string> =>
  Array.isArray(service.environment)
    ? Object.fromEntries(service.environment.map((entry) => entry.split(/=(.*)/s).slice(0, 2)))
    : Object.fromEntries(Object.entries(service.environment ?? {}).map(([name, value]) => [name, String(value)]));

const volumeMounts = (service: Service) =>
  (service.volumes ?? []).map((volume) => {
    if (typeof volume !== 'string') return { source: volume.source, target: volume.target };
    const [source, target] = volume.split(':');
    return { source, target };
  });

const appOf = (service: Service) => /^dist\/apps\/([a-z-]+)\//.exec(service.command?.[1] ?? '')?.[1];

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification schema (deploy/schema, draft-07)', () => {
    const schema = JSON.parse(read('deploy/schema/compose-spec.json')) as { $schema: string };
    // The specification names draft-07 by its https address, Ajv by its http one: the same
    // meta-schema under both, so the schema itself is still checked. The schema uses union types
    // and keywords without `type` on purpose, which Ajv's strict mode would only warn about.
    const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strictTypes: false });
    ajv.addMetaSchema({ ...draft07MetaSchema, $id: schema.$schema });
    const validate = ajv.compile(schema);
    expect(validate(compose) ? [] : validate.errors).toEqual([]);
    // And the schema is not one that accepts anything.
    expect(validate({ services: { api: { image: 'x', restart_policy: 'always' } } })).toBe(false);
  });

  it('runs each app from the path its build writes (nest-cli.json)', () => {
    const projects = (JSON.parse(read('nest-cli.json')) as { projects: Record<string, { entryFile: string }> })
      .projects;
    for (const app of APPS) {
      expect(compose.services[app].command).toEqual(['node', `dist/apps/${app}/${projects[app].entryFile}.js`]);
    }
    expect(environmentOf(compose.services.api)).toMatchObject({ EMBEDDED_WORKERS: 'false', PROJECTIONS: 'separate' });
  });

  it('mounts one shared volume at BANK_FILES_DIR in every service that writes bank files', () => {
    const writers = Object.entries(compose.services).filter(([, service]) =>
      BANK_FILE_WRITERS.includes(appOf(service) ?? ''),
    );
    expect(writers.map(([name]) => name).sort()).toEqual(BANK_FILE_WRITERS);
    const sources = writers.map(([name, service]) => {
      const directory = environmentOf(service).BANK_FILES_DIR;
      const mount = volumeMounts(service).find((volume) => volume.target === directory);
      expect({ name, mount }).toEqual({ name, mount: expect.objectContaining({ source: expect.any(String) }) });
      return mount?.source;
    });
    expect(new Set(sources).size).toBe(1);
    expect(Object.keys(compose.volumes)).toContain(sources[0]);
  });

  it('gives the apps healthchecks: readiness over HTTP for the API and the projector', () => {
    for (const app of APPS) {
      const healthcheck = compose.services[app].healthcheck;
      expect(healthcheck?.disable).not.toBe(true);
      expect(healthcheck?.test[0]).toBe('CMD');
    }
    for (const app of ['api', 'projector']) {
      expect(compose.services[app].healthcheck?.test.join(' ')).toContain('/health/ready');
    }
    for (const app of ['worker', 'projector']) {
      expect(compose.services[app].depends_on).toMatchObject({ api: { condition: 'service_healthy' } });
    }
    for (const condition of Object.values(compose.services).flatMap((service) =>
      Object.values(service.depends_on ?? {}),
    )) {
      expect(condition).toMatchObject({ condition: 'service_healthy' });
    }
  });

  it('keeps PostgreSQL and Redis on named volumes, Redis append-only', () => {
    expect(volumeMounts(compose.services.postgres)).toContainEqual({
      source: 'postgres-data',
      target: '/var/lib/postgresql/data',
    });
    expect(volumeMounts(compose.services.redis)).toContainEqual({ source: 'redis-data', target: '/data' });
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['postgres-data', 'redis-data']));
    expect(compose.services.redis.command?.join(' ')).toContain('--appendonly yes');
  });

  it('inlines no secret: the apps read them from .env, the rest refers to .env by name', () => {
    for (const app of APPS) {
      const files = [compose.services[app].env_file ?? []]
        .flat()
        .map((file) => (typeof file === 'string' ? file : file.path));
      expect(files).toContain('.env');
    }
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [variable, value] of Object.entries(environmentOf(service))) {
        if (SECRET_NAME.test(variable))
          expect({ name, variable, value }).toEqual({
            name,
            variable,
            value: expect.stringMatching(INTERPOLATION_ONLY),
          });
        // A URL with credentials takes its password from .env too.
        const password = /^[a-z]+:\/\/[^:/@]+:([^@]*)@/.exec(value)?.[1];
        if (password !== undefined)
          expect({ name, variable, password }).toEqual({
            name,
            variable,
            password: expect.stringMatching(INTERPOLATION_ONLY),
          });
      }
    }
  });

  it('publishes only the API, and the projector on loopback', () => {
    const published = Object.entries(compose.services).filter(([, service]) => (service.ports ?? []).length > 0);
    expect(published.map(([name]) => name).sort()).toEqual(['api', 'projector']);
    for (const port of compose.services.projector.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:/);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');

  it('runs as node, with /app/data its own, and copies no secrets or host modules in', () => {
    const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(finalStage).toMatch(/^USER node$/m);
    expect(finalStage).toMatch(/chown -R node:node data/);
    expect(dockerfile).not.toMatch(/^COPY \. /m);
  });
});
