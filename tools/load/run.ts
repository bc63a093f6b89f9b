import { checkLedger, openLedgerView } from '@salur/invariants';
import { eventStoreConfigFrom, openEventStore } from '@salur/event-store';
import { openReadModelDatabase } from '@salur/projections';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { ApiClient, JobView } from './api-client';
import { startApiProcess } from './api-process';
import { Journal } from './journal';
import { approvals, bankResults, enrolments, inspectorQueries, seededRandom } from './scenarios';
import { APPROVAL_TIERS, BANK_BATCH_PAYMENTS, MAKER, setUp, TREASURY_ACCOUNT } from './setup';
import { drive, EndpointFigures } from './traffic';
import { LogIndex, verify, Verification } from './verify';
import { readModelConfigFrom } from '@salur/database';

export interface LoadOptions {
  readonly durationSeconds: number;
  readonly seed: number;
  /** Connections per scenario; each inspector query gets `query`. */
  readonly connections: {
    readonly enrol: number;
    readonly approve: number;
    readonly bank: number;
    readonly query: number;
  };
  /** Pending batches for the approval race; by default enough for the duration at the rate measured here. */
  readonly raceBatches?: number;
  readonly bankBatches: number;
  /** Keep the temporary directory (events, read models, bank files, the server's log) for a look afterwards. */
  readonly keep: boolean;
  readonly log: (line: string) => void;
}

export const DEFAULT_OPTIONS: LoadOptions = {
  durationSeconds: 30,
  seed: 1,
  connections: { enrol: 4, approve: 8, bank: 2, query: 1 },
  bankBatches: 8,
  keep: false,
  log: () => undefined,
};

/** Race batches per second of load: the approvals measured here (~25/s) need fewer; the rest is headroom. */
const RACE_BATCHES_PER_SECOND = 12;
const JOB_DRAIN_TIMEOUT_MS = 120_000;
const CHECK_LIST_LIMIT = 20;
const SERVER_LOG_TAIL_BYTES = 4_000;

export interface LoadReport {
  readonly ok: boolean;
  readonly failures: readonly string[];
  readonly durationSeconds: number;
  readonly setup: { readonly raceBatches: number; readonly bankBatches: number; readonly resultFiles: number };
  readonly endpoints: readonly EndpointFigures[];
  readonly total: { readonly requests: number; readonly requestsPerSecond: number };
  readonly verification: Verification;
  readonly ingestJobs: { readonly completed: number; readonly failed: number };
  readonly check: { readonly ok: boolean; readonly events: number; readonly violations: readonly unknown[] };
  readonly serverLogTail?: string;
  readonly directory?: string;
}

/**
 * The whole run: the API in its own process on a fresh SQLite store and a unique queue prefix,
 * the set-up, mixed traffic for the duration, the bank jobs drained, then the checks on the log
 * with the server stopped: the journal against the events, and the invariant checker.
 */
export async function runLoadTest(options: LoadOptions): Promise<LoadReport> {
  const directory = mkdtempSync(join(tmpdir(), 'salur-load-'));
  const prefix = `salur-load-${randomUUID()}`;
  const jwtSecret = randomBytes(32).toString('hex');
  const env: Record<string, string> = {
    EVENT_STORE: 'sqlite',
    SQLITE_PATH: join(directory, 'events.db'),
    READ_MODEL_STORE: 'sqlite',
    QUEUE_PREFIX: prefix,
    EMBEDDED_WORKERS: 'true',
    BANK_FILES_DIR: join(directory, 'bank-files'),
    JWT_SECRET: jwtSecret,
    BENEFICIARY_ID_KEY: randomBytes(32).toString('hex'),
    APPROVAL_TIERS,
    BATCH_MAX_PAYMENTS: String(BANK_BATCH_PAYMENTS),
    TREASURY_ACCOUNT,
  };
  const serverLog = join(directory, 'api.log');
  const { log } = options;
  try {
    log(`starting the API (SQLite in ${directory}, queue prefix ${prefix})`);
    const server = await startApiProcess(env, serverLog);
    let endpoints: EndpointFigures[];
    const journal = new Journal();
    let ingestJobs: LoadReport['ingestJobs'];
    let setupSizes: LoadReport['setup'];
    try {
      const api = new ApiClient(server.url, jwtSecret);
      const raceBatches = options.raceBatches ?? Math.ceil(options.durationSeconds * RACE_BATCHES_PER_SECOND);
      const fixture = await setUp(api, { raceBatches, bankBatches: options.bankBatches }, log);
      setupSizes = { raceBatches, bankBatches: fixture.bankBatchIds.length, resultFiles: fixture.resultFiles.length };
      const random = seededRandom(options.seed);
      const { connections } = options;
      const scenarios = [
        enrolments(api, fixture, random, connections.enrol),
        approvals(api, fixture, random, connections.approve),
        bankResults(api, fixture, connections.bank),
        ...inspectorQueries(api, fixture, random, connections.query),
      ];
      log(`load: ${scenarios.length} scenarios for ${options.durationSeconds} s`);
      endpoints = await drive(server.url, scenarios, options.durationSeconds, journal);
      log(`load done: ${journal.answers.length} command answers; draining the bank jobs`);
      ingestJobs = await drainIngestJobs(api, journal);
    } finally {
      await server.stop();
    }
    log('checking the log');
    const { verification, check } = await checkLog(env, journal);
    return reportOf(options, { endpoints, verification, check, ingestJobs, setup: setupSizes }, serverLog, directory);
  } finally {
    await deleteQueueKeys(prefix);
    if (!options.keep) rmSync(directory, { recursive: true, force: true });
  }
}

/** Waits for every ingestion job the uploads started (one per distinct file) to finish. */
async function drainIngestJobs(api: ApiClient, journal: Journal): Promise<LoadReport['ingestJobs']> {
  const jobIds = new Set<string>();
  for (const answer of journal.answers)
    if (answer.command.kind === 'bank-result' && answer.status === 202 && answer.receipt) jobIds.add(answer.receipt.id);
  let completed = 0;
  let failed = 0;
  const deadline = Date.now() + JOB_DRAIN_TIMEOUT_MS;
  for (const id of jobIds) {
    for (;;) {
      const job = (await api.call('admin', 'load-admin', 'GET', `/jobs/${encodeURIComponent(id)}`)).json<JobView>();
      if (job.state === 'completed' || job.state === 'failed' || Date.now() > deadline) {
        if (job.state === 'completed') completed++;
        else failed++;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return { completed, failed };
}

async function checkLog(env: Record<string, string>, journal: Journal) {
  const eventStoreConfig = eventStoreConfigFrom(env);
  const store = await openEventStore(eventStoreConfig);
  const readModels = openReadModelDatabase(readModelConfigFrom(env, eventStoreConfig));
  // The journal holds what users sent (NIKs in clear): it is compared with the log opened.
  const { opened, keyStore } = await openLedgerView(store, env);
  try {
    const index = new LogIndex();
    for await (const event of (opened ?? store).readAll()) index.observe(event);
    const loadUser = (userId: string) => /^eo-load-\d+$/.test(userId) || /^fo-\d+$/.test(userId) || userId === MAKER;
    const verification = verify(journal, index, loadUser);
    const report = await checkLedger(store, { readModels, projectionSource: opened, keyStore });
    const check = { ok: report.ok, events: report.events, violations: report.violations.slice(0, CHECK_LIST_LIMIT) };
    return { verification, check };
  } finally {
    await readModels.destroy();
    await keyStore?.close();
    await store.close();
  }
}

function reportOf(
  options: LoadOptions,
  parts: Pick<LoadReport, 'endpoints' | 'verification' | 'check' | 'ingestJobs' | 'setup'>,
  serverLog: string,
  directory: string,
): LoadReport {
  const { endpoints, verification, check, ingestJobs } = parts;
  const failures: string[] = [];
  const serverErrors = endpoints.reduce(
    (sum, e) => sum + Object.entries(e.statuses).reduce((s, [status, n]) => s + (Number(status) >= 500 ? n : 0), 0),
    0,
  );
  if (serverErrors > 0) failures.push(`${serverErrors} answer(s) 5xx`);
  for (const e of endpoints) {
    if (e.errors + e.timeouts > 0)
      failures.push(`${e.endpoint}: ${e.errors} connection error(s), ${e.timeouts} timeout(s)`);
    if (e.endpoint.startsWith('GET') && Object.keys(e.statuses).some((status) => status !== '200'))
      failures.push(`${e.endpoint}: answers other than 200 (${JSON.stringify(e.statuses)})`);
  }
  if (verification.lost.length > 0) failures.push(`${verification.lost.length} acknowledged command(s) lost`);
  if (verification.duplicates.length > 0) failures.push(`${verification.duplicates.length} duplicate(s)`);
  if (verification.unacknowledgedWrites.length > 0)
    failures.push(`${verification.unacknowledgedWrites.length} write(s) without an acknowledgement`);
  if (verification.unexplainedConflicts.length > 0)
    failures.push(`${verification.unexplainedConflicts.length} unexplained 409(s)`);
  if (verification.unexpectedStatuses.length > 0)
    failures.push(`${verification.unexpectedStatuses.length} unexpected answer(s) to commands`);
  if (ingestJobs.failed > 0) failures.push(`${ingestJobs.failed} ingestion job(s) failed or unfinished`);
  if (!check.ok) failures.push(`invariant checker: ${check.violations.length} violation(s)`);
  const requests = endpoints.reduce((sum, e) => sum + e.requests, 0);
  return {
    ok: failures.length === 0,
    failures,
    durationSeconds: options.durationSeconds,
    setup: parts.setup,
    endpoints,
    total: { requests, requestsPerSecond: requests / options.durationSeconds },
    verification,
    ingestJobs,
    check,
    ...(failures.length > 0 && existsSync(serverLog) ? { serverLogTail: tail(serverLog) } : {}),
    ...(options.keep ? { directory } : {}),
  };
}

/** The server's error lines (a 5xx logs its stack with the correlation id), the last few KiB of them. */
function tail(path: string): string {
  const errors = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => /ERROR|Error|^\s+at /.test(line))
    .join('\n');
  return errors.slice(Math.max(0, errors.length - SERVER_LOG_TAIL_BYTES));
}

async function deleteQueueKeys(prefix: string): Promise<void> {
  const redis = new IORedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1_000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
