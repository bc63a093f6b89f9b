import type { Environment } from '@salur/config';

/** The apps of a cluster, in the order they start: the API migrates the tables the others use. */
export const CLUSTER_APPS = ['api', 'worker', 'projector'] as const;
export type ClusterApp = (typeof CLUSTER_APPS)[number];

export const DEFAULT_CLUSTER_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/salur_cluster';
export const DEFAULT_API_PORT = 3000;
export const DEFAULT_PROJECTOR_PORT = 3001;

export interface ClusterSettings {
  /** The events, read models, audit log and keys: one PostgreSQL database (DATABASE_URL). */
  readonly databaseUrl: string;
  readonly apiPort: number;
  /** The projector's probes and metrics (PROJECTOR_PORT). */
  readonly projectorPort: number;
}

/** One app of the cluster: what it runs, with which settings, and where it answers when ready. */
export interface ClusterProcess {
  readonly app: ClusterApp;
  /** Settings over the environment the cluster was started with. */
  readonly env: Readonly<Record<string, string>>;
  /** Its /health/ready; the worker serves no HTTP. */
  readonly readyUrl?: string;
}

/** How an app is run: compiled by `npm run build`, or from its TypeScript source (tests). */
export type LaunchMode = 'built' | 'source';

export function clusterSettingsFrom(env: Environment): ClusterSettings {
  return {
    databaseUrl: env.DATABASE_URL?.trim() || DEFAULT_CLUSTER_DATABASE_URL,
    apiPort: portFrom(env, 'API_PORT', DEFAULT_API_PORT),
    projectorPort: portFrom(env, 'PROJECTOR_PORT', DEFAULT_PROJECTOR_PORT),
  };
}

/**
 * The three apps as production runs them: the API without its embedded workers or projections,
 * the worker for the jobs, the projector for the read models and the audit log. Each gets the
 * same store; everything else (REDIS_URL, QUEUE_PREFIX, BANK_FILES_DIR, the secrets) they share
 * from the environment the cluster was started with.
 */
export function clusterProcesses(settings: ClusterSettings): ClusterProcess[] {
  const store = { EVENT_STORE: 'postgres', DATABASE_URL: settings.databaseUrl };
  return [
    {
      app: 'api',
      env: { ...store, PORT: String(settings.apiPort), EMBEDDED_WORKERS: 'false', PROJECTIONS: 'separate' },
      readyUrl: `http://127.0.0.1:${settings.apiPort}/health/ready`,
    },
    { app: 'worker', env: store },
    {
      app: 'projector',
      env: { ...store, PORT: String(settings.projectorPort) },
      readyUrl: `http://127.0.0.1:${settings.projectorPort}/health/ready`,
    },
  ];
}

/** The Node arguments that run an app: its build (as `npm run start:<app>` does) or its source. */
export function nodeArgumentsOf(app: ClusterApp, mode: LaunchMode): string[] {
  if (mode === 'built') return [`dist/apps/${app}/apps/${app}/src/main.js`];
  return ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', `apps/${app}/src/main.ts`];
}

function portFrom(env: Environment, variable: string, fallback: number): number {
  const text = env[variable]?.trim();
  if (!text) return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`${variable}: '${text}' is not a port`);
  return port;
}
