import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handleCommand, loadStream, metadataOf } from '@salur/application';
import { BankOutcomePass, BatchWorkflows, CloseBatchHandler } from '@salur/batches';
import { batchDecider, batchStreamName } from '@salur/batches/domain';
import { EventStore, eventStoreConfigFrom, openEventStore } from '@salur/event-store';
import { AccessTokens, jwtConfigFrom } from '@salur/http';
import { checkLedger } from '@salur/invariants';
import type { Role } from '@salur/kernel';
import { paymentDecider, paymentStreamName } from '@salur/payments/domain';
import { ApiProcess, startApiProcess } from '../../tools/load/api-process';
import { exchange } from '../../tools/load/http-exchange';
import { createFreshDatabase, FreshDatabase } from '../support/postgres';
import {
  contextOf,
  ID_KEY,
  ledgerConfig,
  paymentIds,
  period,
  programmeId,
  seedApproval,
  seedBatch,
  seedPool,
  seedSubmission,
} from './support/workflow-ledger';

/**
 * Every multi-stream batch workflow, killed with SIGKILL at each step boundary (SALUR_CRASH_AT,
 * libs/application/src/crash-point.ts) in the real API process, on SQLite and PostgreSQL. After
 * each crash the next process settles what was left (BatchWorkflows, the same service the API
 * runs on its interval) and then: the checker is clean, no payment is stranded, and every
 * beneficiary can still be paid, once.
 */
const JWT_SECRET = 'crash-test-secret-of-the-workflows-0123456789abcdef';
const tokens = new AccessTokens(jwtConfigFrom({ JWT_SECRET }));
const CRASH_TIMEOUT_MS = 60_000;
/** How often a wait on a condition looks again. */
const POLL_MS = 250;

type Base = 'pool' | 'batch' | 'approved' | 'contested' | 'submitted';

interface Scenario {
  readonly point: string;
  readonly base: Base;
  /** The request that runs into the crash point; none: the API's own workflow pass does. */
  readonly request?: (batchId: string) => { role: Role; userId: string; method: string; path: string; body?: object };
}

const create = () => ({
  role: 'finance-officer' as const,
  userId: 'maker',
  method: 'POST',
  path: '/batches',
  body: { programmeId, period, paymentIds },
});
const removeTwo = (batchId: string) => ({
  role: 'finance-officer' as const,
  userId: 'maker',
  method: 'POST',
  path: `/batches/${batchId}/removals`,
  body: { paymentIds: paymentIds.slice(0, 2), reason: 'account under review' },
});
const approve = (batchId: string) => ({
  role: 'finance-officer' as const,
  userId: 'approver',
  method: 'POST',
  path: `/batches/${batchId}/approvals`,
  body: { contentHash: 'filled in by the test' },
});
const cancel = (batchId: string) => ({
  role: 'finance-officer' as const,
  userId: 'maker',
  method: 'POST',
  path: `/batches/${batchId}/cancellation`,
  body: { reason: 'wrong round' },
});

const SCENARIOS: readonly Scenario[] = [
  { point: 'batch-create:started', base: 'pool', request: create },
  { point: 'batch-create:claimed-first', base: 'pool', request: create },
  { point: 'batch-create:claimed', base: 'pool', request: create },
  { point: 'batch-create:abandoned', base: 'contested' },
  { point: 'batch-change:changed', base: 'batch', request: removeTwo },
  { point: 'batch-holds:gave-back-first', base: 'batch', request: removeTwo },
  { point: 'batch-approve:reserved', base: 'batch', request: approve },
  { point: 'batch-close:closed', base: 'approved', request: cancel },
  { point: 'batch-close:gave-back', base: 'approved', request: cancel },
  { point: 'bank-outcome:marked-first', base: 'submitted' },
];

interface Backend {
  readonly name: string;
  /** A fresh store and the API's environment for it. */
  open(): Promise<{ store: EventStore; env: Record<string, string>; drop(): Promise<void> }>;
}

const BACKENDS: readonly Backend[] = [
  {
    name: 'sqlite',
    async open() {
      const directory = mkdtempSync(join(tmpdir(), 'salur-workflow-crash-'));
      const env = { SQLITE_PATH: join(directory, 'salur.db'), BANK_FILES_DIR: join(directory, 'bank-files') };
      const store = await openEventStore(eventStoreConfigFrom(env));
      return { store, env, drop: async () => rmSync(directory, { recursive: true, force: true }) };
    },
  },
  {
    name: 'postgres',
    async open() {
      const database: FreshDatabase = await createFreshDatabase('workflow_crash');
      const directory = mkdtempSync(join(tmpdir(), 'salur-workflow-crash-'));
      const env = {
        EVENT_STORE: 'postgres',
        DATABASE_URL: database.url,
        BANK_FILES_DIR: join(directory, 'bank-files'),
      };
      const store = await openEventStore(eventStoreConfigFrom(env));
      return {
        store,
        env,
        drop: async () => {
          await database.drop();
          rmSync(directory, { recursive: true, force: true });
        },
      };
    },
  },
];

/** The ledger a scenario starts from; the batch id it acts on, if any. */
async function seed(store: EventStore, base: Base): Promise<string> {
  await seedPool(store);
  if (base === 'pool') return '';
  if (base === 'submitted') {
    // Sent three hours ago and never answered: the scheduled pass marks them outcome-unknown.
    const submitted = await seedBatch(store);
    await seedApproval(store, submitted);
    await seedSubmission(store, submitted, 3);
    return submitted;
  }
  if (base === 'contested') {
    // One payment is taken by a batch; another batch started with it last (a creation a crash
    // interrupted before its claims): finishing it claims three, is refused the fourth, abandons.
    await seedBatch(store, [paymentIds[3]]);
    const contested = randomUUID();
    const maker = contextOf('other-maker');
    const lines = [];
    for (const paymentId of paymentIds) {
      const { state } = await loadStream(store, paymentStreamName(paymentId), paymentDecider);
      if (state.status === 'absent') throw new Error('seeded payment missing');
      lines.push({ paymentId, beneficiaryId: state.beneficiaryId, amount: state.amount });
    }
    await handleCommand(
      store,
      batchStreamName(contested),
      batchDecider,
      {
        type: 'StartBatchCreation',
        data: {
          batchId: contested,
          programmeId,
          period,
          items: lines,
          policy: ledgerConfig.approvalPolicy,
          maxPayments: ledgerConfig.batchMaxPayments,
          expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        },
        context: maker,
      },
      { metadata: metadataOf(maker) },
    );
    return contested;
  }
  const batchId = await seedBatch(store);
  if (base === 'approved') await seedApproval(store, batchId);
  return batchId;
}

async function apiEnv(env: Record<string, string>, point: string, base: Base): Promise<Record<string, string>> {
  return {
    ...env,
    JWT_SECRET,
    BENEFICIARY_ID_KEY: ID_KEY,
    QUEUE_PREFIX: `salur-workflow-crash-${randomUUID()}`,
    EMBEDDED_WORKERS: 'false',
    JOB_RECOVERY_INTERVAL: '0',
    // The contested scenario crashes in the API's own workflow pass, the submitted one in the
    // scheduled bank-outcome pass its embedded workers run; the others in a request.
    WORKFLOW_INTERVAL: base === 'contested' ? '1' : '0',
    ...(base === 'submitted'
      ? { EMBEDDED_WORKERS: 'true', BANK_OUTCOME_PASS_INTERVAL: '1', BANK_OUTCOME_TIMEOUT_HOURS: '1' }
      : {}),
    WORKFLOW_GRACE: '0',
    SALUR_CRASH_AT: point,
  };
}

/** Starts the API, sends the request, and waits for the process to kill itself at the point. */
async function crashAt(
  scenario: Scenario,
  env: Record<string, string>,
  store: EventStore,
  batchId: string,
  logPath: string,
) {
  let api: ApiProcess | undefined;
  try {
    api = await startApiProcess(env, logPath);
  } catch (error) {
    // A scenario that crashes in the API's own pass may die before it answers /health.
    expect([scenario.request, String(error)]).toEqual([undefined, expect.stringContaining('SIGKILL')]);
    return;
  }
  try {
    if (scenario.request) {
      const request = scenario.request(batchId);
      let body = request.body;
      if (request.path.endsWith('/approvals')) {
        const { state } = await loadStream(store, batchStreamName(batchId), batchDecider);
        body = { contentHash: state.status === 'absent' ? '' : state.contentHash };
      }
      const token = tokens.issue({ userId: request.userId, role: request.role, ttlSeconds: 600 });
      const answered = await exchange(
        request.method,
        `${api.url}${request.path}`,
        { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        JSON.stringify(body),
      ).then(
        (response) => `answered ${response.status}: ${response.text}`,
        () => 'no answer',
      );
      expect(answered).toBe('no answer');
    }
    const exit = await Promise.race([
      api.exited,
      new Promise((resolve) => setTimeout(() => resolve('still running'), CRASH_TIMEOUT_MS)),
    ]);
    expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
  } finally {
    await api.stop();
  }
}

/** What must hold after the next process settled the workflows. */
async function expectNothingStranded(store: EventStore): Promise<void> {
  const now = new Date(Date.now() + 1_000).toISOString();
  const report = await checkLedger(store, { workflowDeadline: { now, graceMs: 0 } });
  expect(report.violations).toEqual([]);

  // Every payment is in the pool, or held by exactly the one open batch that lists it.
  const pool: Array<{ paymentId: string; beneficiaryId: string; amount: string }> = [];
  for (const paymentId of paymentIds) {
    const { state } = await loadStream(store, paymentStreamName(paymentId), paymentDecider);
    if (state.status === 'scheduled' || state.status === 'reissued') {
      pool.push({ paymentId, beneficiaryId: state.beneficiaryId, amount: state.amount });
      continue;
    }
    expect([paymentId, state.status]).toEqual([paymentId, 'batched']);
    if (state.status !== 'batched') continue;
    const batch = await loadStream(store, batchStreamName(state.batchId), batchDecider);
    const listed = batch.state.status === 'absent' ? [] : batch.state.payments.map((line) => line.paymentId);
    expect([paymentId, batch.state.status, listed.includes(paymentId)]).toEqual([
      paymentId,
      expect.stringMatching(/^(pending|approved)$/),
      true,
    ]);
  }

  // Whoever is in the pool can be batched now: everyone can still be paid, once.
  if (pool.length > 0) {
    const workflows = new BatchWorkflows(store, ledgerConfig);
    const created = await workflows.create(randomUUID(), { programmeId, period }, pool, contextOf('maker'));
    expect(created.state.status).toBe('pending');
  }
  for (const paymentId of paymentIds) {
    const { state } = await loadStream(store, paymentStreamName(paymentId), paymentDecider);
    expect([paymentId, state.status]).toEqual([paymentId, 'batched']);
  }
  const after = await checkLedger(store, {
    workflowDeadline: { now: new Date(Date.now() + 1_000).toISOString(), graceMs: 0 },
  });
  expect(after.violations).toEqual([]);
}

/**
 * After the outcome pass died between two payments: the next pass (the same service, in this
 * process) marks the rest, and every sent payment without an answer is outcome-unknown, once.
 */
async function expectOutcomesMarked(store: EventStore, batchId: string): Promise<void> {
  const workflows = new BatchWorkflows(store, ledgerConfig);
  const config = { ...ledgerConfig, bankOutcomeTimeoutHours: 1 };
  const pass = new BankOutcomePass(store, config, new CloseBatchHandler(store, workflows));
  const result = await pass.run(new Date().toISOString());
  expect(result.failed).toBe(0);
  const marks: string[] = [];
  for await (const event of store.readAll()) {
    if (event.type === 'PaymentOutcomeUnknown') marks.push(String(event.data.paymentId));
  }
  expect(marks.sort()).toEqual([...paymentIds].sort());
  for (const paymentId of paymentIds) {
    const { state } = await loadStream(store, paymentStreamName(paymentId), paymentDecider);
    expect([paymentId, state.status, state.status === 'absent' ? '' : (state as { batchId?: string }).batchId]).toEqual(
      [paymentId, 'outcome-unknown', batchId],
    );
  }
  const report = await checkLedger(store, {
    workflowDeadline: { now: new Date(Date.now() + 1_000).toISOString(), graceMs: 0 },
  });
  expect(report.violations).toEqual([]);
}

describe.each(BACKENDS)('batch workflows killed at every step on $name', (backend) => {
  it.each(SCENARIOS.map((scenario) => [scenario.point, scenario] as const))(
    'finishes or compensates after a SIGKILL at %s',
    async (_point, scenario) => {
      const { store, env, drop } = await backend.open();
      const logDirectory = mkdtempSync(join(tmpdir(), 'salur-workflow-crash-log-'));
      try {
        const batchId = await seed(store, scenario.base);
        await crashAt(
          scenario,
          await apiEnv(env, scenario.point, scenario.base),
          store,
          batchId,
          join(logDirectory, 'api.log'),
        );
        if (scenario.base === 'submitted') {
          await expectOutcomesMarked(store, batchId);
          return;
        }
        // The next process: the same service the API runs on its interval, with no grace left.
        const pass = await new BatchWorkflows(store, ledgerConfig).settle(
          new Date(Date.now() + 1_000).toISOString(),
          0,
        );
        expect(pass.failed).toBe(0);
        await expectNothingStranded(store);
      } finally {
        await store.close();
        await drop();
        rmSync(logDirectory, { recursive: true, force: true });
      }
    },
  );
});

describe('the restarted API', () => {
  it('finishes a batch creation a SIGKILL interrupted, by itself, on its workflow interval', async () => {
    const { store, env, drop } = await BACKENDS[0].open();
    const logDirectory = mkdtempSync(join(tmpdir(), 'salur-workflow-crash-log-'));
    const scenario = SCENARIOS.find((candidate) => candidate.point === 'batch-create:claimed-first') as Scenario;
    try {
      await seed(store, scenario.base);
      const crashing = await apiEnv(env, scenario.point, scenario.base);
      await crashAt(scenario, crashing, store, '', join(logDirectory, 'crashed.log'));
      // The same ledger, no crash point, and its workflow pass every second.
      const restarted: Record<string, string> = { ...crashing, WORKFLOW_INTERVAL: '1' };
      delete restarted.SALUR_CRASH_AT;
      const api = await startApiProcess(restarted, join(logDirectory, 'restarted.log'));
      try {
        const deadline = Date.now() + CRASH_TIMEOUT_MS;
        const clean = async () =>
          (
            await checkLedger(store, {
              workflowDeadline: { now: new Date(Date.now() + 1_000).toISOString(), graceMs: 0 },
            })
          ).ok;
        while (!(await clean()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        await expectNothingStranded(store);
      } finally {
        await api.stop();
      }
    } finally {
      await store.close();
      await drop();
      rmSync(logDirectory, { recursive: true, force: true });
    }
  });
});
