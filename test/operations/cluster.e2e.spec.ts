import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateNoteKey } from '@salur/audit-log';
import { AccessTokens, jwtConfigFrom } from '@salur/http';
import { clusterProcesses, ClusterProcess } from '../../tools/cluster/cluster-plan';
import { prefixOf } from '../../tools/cluster/line-prefixer';
import { AppExit, ClusterSupervisor, LINE_OWNERS } from '../../tools/cluster/supervisor';
import { deleteQueueKeys } from '../bank-integration/support/redis-cleanup';
import { registryCsv } from '../bank-integration/support/synthetic-registry';
import { createFreshDatabase, FreshDatabase } from '../support/postgres';
import { AppClient, appClient, eventually, freePort } from './support/cluster-client';

const ROOT = join(__dirname, '..', '..');
const BENEFICIARIES = 10;
const programmeId = 'BANTU-UMAK-2026';
const period = '2026-11';
/** Three apps compiled by ts-node on a loaded 2-core machine: about 20 s each, so allow plenty. */
const START_TIMEOUT_MS = 240_000;
/** A job, a projection or a checkpoint that has not happened in this long will not. */
const SETTLE_TIMEOUT_MS = 60_000;

interface JobView {
  readonly id: string;
  readonly state: string;
  readonly result: unknown;
  readonly failedReason: string | null;
}

/**
 * The production shape on one machine: the API (no embedded workers, PROJECTIONS=separate), the
 * worker and the projector as three processes of their own on a fresh PostgreSQL database and a
 * unique Redis prefix, started by the supervisor of `npm run start:cluster` from their sources.
 * The API starts alone first: it takes commands and queues jobs, but no read model moves, no job
 * runs and no checkpoint is signed. Then the worker and the projector start, and a small round
 * goes through over HTTP: the jobs complete (only the worker runs them), the read models and the
 * audit log catch up (only the projector fills them), and each app's JSON lines carry its name.
 */
describe('the API, the worker and the projector as three processes', () => {
  const secret = randomBytes(48).toString('base64url');
  const tokens = new AccessTokens(jwtConfigFrom({ JWT_SECRET: secret }));
  const prefix = `salur-test-cluster-${randomUUID()}`;
  const filesDir = mkdtempSync(join(tmpdir(), 'salur-cluster-bank-files-'));
  const lines: string[] = [];
  const unexpectedExits: AppExit[] = [];
  let database: FreshDatabase;
  let supervisor: ClusterSupervisor;
  let plan: Record<'api' | 'worker' | 'projector', ClusterProcess>;
  let api: AppClient;
  let projector: AppClient;

  beforeAll(async () => {
    database = await createFreshDatabase('cluster');
    const [apiPort, projectorPort] = [await freePort(), await freePort()];
    const [apiPlan, workerPlan, projectorPlan] = clusterProcesses({
      databaseUrl: database.url,
      apiPort,
      projectorPort,
    });
    plan = { api: apiPlan, worker: workerPlan, projector: projectorPlan };
    api = appClient(`http://127.0.0.1:${apiPort}`, tokens);
    projector = appClient(`http://127.0.0.1:${projectorPort}`, tokens);
    supervisor = new ClusterSupervisor({
      mode: 'source',
      cwd: ROOT,
      env: {
        ...process.env,
        JWT_SECRET: secret,
        CHECKPOINT_SIGNING_KEY: generateNoteKey('salur.example/ledger').signerKey,
        CHECKPOINT_INTERVAL: '1s',
        QUEUE_PREFIX: prefix,
        BANK_FILES_DIR: filesDir,
        APPROVAL_TIERS: '100000000.00:1,*:2',
        LOG_LEVEL: 'info',
      },
      write: (line) => void lines.push(line),
      onUnexpectedExit: (exit) => void unexpectedExits.push(exit),
    });
    supervisor.start(plan.api);
    await supervisor.waitUntilReady(plan.api, START_TIMEOUT_MS);
  }, START_TIMEOUT_MS + 60_000);

  afterAll(async () => {
    await supervisor?.stopAll();
    await database?.drop();
    await deleteQueueKeys(prefix);
    rmSync(filesDir, { recursive: true, force: true });
  });

  const jobState = async (id: string) =>
    (await api.get<JobView>('admin', 'admin-1', `/jobs/${encodeURIComponent(id)}`)).body;

  async function finished(started: { status: number; body: unknown }): Promise<JobView> {
    expect(started.status).toBe(202);
    const { id } = started.body as JobView;
    return eventually(
      `job ${id} completed`,
      async () => {
        const job = await jobState(id);
        if (job.state === 'failed') throw new Error(`Job ${id} failed: ${job.failedReason}`);
        return job.state === 'completed' ? job : undefined;
      },
      SETTLE_TIMEOUT_MS,
    );
  }

  let roundJobId: string;

  it('takes commands with the API alone, but nothing projects, runs or signs', async () => {
    const created = await api.post('programme-officer', 'po-1', '/programmes', {
      code: 'BANTU-UMAK',
      name: 'Bantuan Langsung Tunai',
      fiscalYear: 2026,
      budgetCeiling: '100000000.00',
      benefitAmount: '600000.00',
      currency: 'IDR',
    });
    expect(created.status).toBe(201);
    const enrolled = await api.post(
      'enrolment-officer',
      'eo-1',
      `/programmes/${programmeId}/beneficiaries/bulk`,
      registryCsv(BENEFICIARIES),
      { 'content-type': 'text/csv' },
    );
    expect(enrolled.body).toMatchObject({ enrolled: BENEFICIARIES, rejected: 0 });
    const opened = await api.post<JobView>('programme-officer', 'po-1', '/rounds', { programmeId, period });
    expect(opened.status).toBe(202);
    roundJobId = opened.body.id;

    // Written and queued, yet no read model has it, no job ran and nothing was signed.
    expect((await api.get('programme-officer', 'po-1', '/programmes')).body).toMatchObject({ items: [] });
    expect((await jobState(roundJobId)).state).toBe('waiting');
    expect((await api.get('inspector', 'insp-1', '/audit/checkpoints/latest')).status).toBe(404);
  });

  it('runs a round once the worker and the projector are up: jobs, read models, audit log', async () => {
    supervisor.start(plan.worker);
    supervisor.start(plan.projector);
    await supervisor.waitUntilReady(plan.projector, START_TIMEOUT_MS);

    const programmes = await eventually(
      'the programme in the read model',
      async () => {
        const listed = await api.get<{ items: unknown[] }>('programme-officer', 'po-1', '/programmes');
        return listed.body.items.length > 0 ? listed.body.items : undefined;
      },
      SETTLE_TIMEOUT_MS,
    );
    expect(programmes).toEqual([expect.objectContaining({ id: programmeId })]);
    const round = await finished({ status: 202, body: { id: roundJobId } });
    expect(round.result).toMatchObject({ total: BENEFICIARIES, scheduled: BENEFICIARIES });

    const built = await finished(
      await api.post('finance-officer', 'fo-maker', `/rounds/${programmeId}/${period}/batches`),
    );
    const [{ batchId }] = built.result as Array<{ batchId: string }>;
    const batch = await eventually(
      'the batch in the read model',
      async () => {
        const found = await api.get<{ contentHash: string }>('finance-officer', 'fo-a', `/batches/${batchId}`);
        return found.status === 200 ? found.body : undefined;
      },
      SETTLE_TIMEOUT_MS,
    );
    const approved = await api.post('finance-officer', 'fo-a', `/batches/${batchId}/approvals`, {
      contentHash: batch.contentHash,
    });
    expect(approved.status).toBe(200);
    // Read-your-writes across processes: the API waits on the checkpoints the projector commits.
    const position = (approved.body as { position?: number }).position;
    expect(typeof position).toBe('number');
    const afterApproval = await api.get<{ items: Array<{ id: string; status: string }> }>(
      'finance-officer',
      'fo-a',
      `/batches?programmeId=${programmeId}&minPosition=${position}`,
    );
    expect(afterApproval.status).toBe(200);
    expect(afterApproval.body.items).toEqual([expect.objectContaining({ id: batchId, status: 'approved' })]);
    await finished(await api.post('bank-integration', 'h2h', `/batches/${batchId}/file`));
    // The worker wrote the file; the API serves it from the directory they share.
    const file = await api.get('bank-integration', 'h2h', `/batches/${batchId}/file?format=pain001`);
    expect(file.status).toBe(200);
    expect(file.text).toContain('<CstmrCdtTrfInitn>');
    expect((await api.post('bank-integration', 'h2h', `/batches/${batchId}/submission`)).status).toBe(200);

    const progress = await eventually(
      'the round progress showing every payment sent',
      async () => {
        const found = await api.get<{ sent: number }>('programme-officer', 'po-1', `/rounds/${programmeId}/${period}`);
        return found.status === 200 && found.body.sent === BENEFICIARIES ? found.body : undefined;
      },
      SETTLE_TIMEOUT_MS,
    );
    expect(progress).toMatchObject({ payments: BENEFICIARIES, sent: BENEFICIARIES });
    const batches = await api.get<{ items: Array<{ id: string; status: string }> }>(
      'finance-officer',
      'fo-a',
      `/batches?programmeId=${programmeId}`,
    );
    expect(batches.body.items).toEqual([expect.objectContaining({ id: batchId, status: 'submitted' })]);

    // The projector follows the log to the head and signs it.
    const head = await eventually(
      'every projection of the projector at the head',
      async () => {
        const status = await projector.get<Array<{ state: string; position?: number; headPosition?: number }>>(
          'admin',
          'admin-1',
          '/projections/status',
        );
        const atHead = status.body.every((one) => one.state === 'running' && one.position === one.headPosition);
        return atHead ? status.body[0].headPosition : undefined;
      },
      SETTLE_TIMEOUT_MS,
    );
    const treeSize = await eventually(
      'a checkpoint signed over the whole log',
      async () => {
        const note = await api.get('inspector', 'insp-1', '/audit/checkpoints/latest');
        const size = note.status === 200 ? Number(note.text.split('\n')[1]) : 0;
        return size >= Number(head) ? size : undefined;
      },
      SETTLE_TIMEOUT_MS,
    );
    expect(treeSize).toBeGreaterThan(BENEFICIARIES);
  });

  it('reports the projections and the log from the projector, not the API', async () => {
    const scrape = async (client: AppClient) => {
      const response = await client.get('monitor', 'prometheus', '/metrics');
      expect(response.status).toBe(200);
      return response.text;
    };
    const [fromProjector, fromApi] = [await scrape(projector), await scrape(api)];
    expect(fromProjector).toMatch(/^salur_projection_position\{projection="batch-views"\} [1-9]/m);
    expect(fromProjector).toMatch(/^salur_merkle_log_size_leaves [1-9]/m);
    expect(fromApi).not.toMatch(/^salur_projection_position\{/m);
    expect(fromApi).not.toMatch(/^salur_merkle_log_size_leaves /m);
    // The projector's probes are public; its metrics are not.
    expect((await projector.get('inspector', 'insp-1', '/metrics')).status).toBe(403);
  });

  it('prefixes each app’s JSON lines with its name, and stops all three on request', async () => {
    for (const app of ['api', 'worker', 'projector']) {
      const prefix = prefixOf(app, LINE_OWNERS);
      const own = lines.filter((line) => line.startsWith(`${prefix}{`));
      expect(own.length).toBeGreaterThan(0);
      for (const line of own) expect(() => JSON.parse(line.slice(prefix.length))).not.toThrow();
    }
    const exits = await supervisor.stopAll();
    expect(exits.map((exit) => exit.app).sort()).toEqual(['api', 'projector', 'worker']);
    expect(exits.filter((exit) => exit.signal === 'SIGKILL')).toEqual([]);
    expect(unexpectedExits).toEqual([]);
  });
});
