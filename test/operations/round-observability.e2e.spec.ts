import { fileSubmitAndIngestAnswers } from '../bank-integration/support/bank-answers';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { METRIC_CATALOGUE } from '@salur/observability';
import { BankRoundApi, JobView, startBankRoundApi } from '../bank-integration/support/bank-round-api';
import { registryCsv, syntheticBeneficiary } from '../bank-integration/support/synthetic-registry';

const BENEFICIARIES = 30;
const programmeId = 'BANTU-UMAK-2026';
const period = '2026-11';
const TREASURY_ACCOUNT = '0012301000000099';
const DEPLOY = join(__dirname, '../../deploy');

/**
 * Operating a round: a whole round (enrolment, round, batches, approvals, bank files, bank answers
 * with rejections) through the real API and jobs, its JSON logs captured as production writes them,
 * then /metrics scraped. The logs must carry correlation ids, actors, commands and outcomes and not
 * one NIK, KK, name or account number; the metrics must describe the round; and every metric the
 * alert rules and the dashboard in deploy/ name must be in the scrape.
 */
describe('a round as an operator sees it: JSON logs without personal data, metrics, alerts', () => {
  let api: BankRoundApi;
  const lines: string[] = [];
  let exposition = '';

  beforeAll(async () => {
    api = await startBankRoundApi(
      { BATCH_MAX_PAYMENTS: '20', APPROVAL_TIERS: '100000000.00:1,*:2', TREASURY_ACCOUNT, LOG_LEVEL: 'debug' },
      'sqlite',
      undefined,
      { logDestination: { write: (line: string) => void lines.push(line) } },
    );
    await runRound();
    const scraped = await api.call('monitor', 'prometheus', 'GET', '/metrics');
    expect(scraped.status).toBe(200);
    expect(scraped.headers['content-type']).toContain('text/plain');
    exposition = scraped.body.toString('utf8');
  });
  afterAll(() => api?.close());

  const job = async (response: { status: number; json: <T>() => T }) => {
    expect(response.status).toBe(202);
    return api.finish(response.json<JobView>());
  };

  async function runRound(): Promise<void> {
    const created = await api.call('programme-officer', 'po-1', 'POST', '/programmes', {
      code: 'BANTU-UMAK',
      name: 'Bantuan Langsung Tunai Warga Miskin Ekstrem',
      fiscalYear: 2026,
      budgetCeiling: '1000000000.00',
      benefitAmount: '600000.00',
      currency: 'IDR',
    });
    expect(created.status).toBe(201);
    const enrolled = await api.call(
      'enrolment-officer',
      'eo-1',
      'POST',
      `/programmes/${programmeId}/beneficiaries/bulk`,
      registryCsv(BENEFICIARIES),
      { 'content-type': 'text/csv' },
    );
    expect(enrolled.json()).toMatchObject({ enrolled: BENEFICIARIES });
    // Searches put a NIK and a KK in the query string; a refused one too.
    const first = syntheticBeneficiary(1);
    expect((await api.call('enrolment-officer', 'eo-1', 'GET', `/beneficiaries?nik=${first.nik}`)).status).toBe(200);
    expect((await api.call('inspector', 'insp-1', 'GET', `/beneficiaries?kk=${first.kk}`)).status).toBe(403);

    await job(await api.call('programme-officer', 'po-1', 'POST', '/rounds', { programmeId, period }));
    const built = await job(
      await api.call('finance-officer', 'fo-maker', 'POST', `/rounds/${programmeId}/${period}/batches`),
    );
    const batchIds = (built.result as Array<{ batchId: string }>).map((batch) => batch.batchId);
    for (const batchId of batchIds) {
      const { contentHash } = (await api.call('finance-officer', 'fo-a', 'GET', `/batches/${batchId}`)).json<{
        contentHash: string;
      }>();
      // The maker may not approve (four eyes): a refusal, with its code in the log line.
      expect(
        (await api.call('finance-officer', 'fo-maker', 'POST', `/batches/${batchId}/approvals`, { contentHash }))
          .status,
      ).toBe(403);
      expect(
        (await api.call('finance-officer', 'fo-a', 'POST', `/batches/${batchId}/approvals`, { contentHash })).status,
      ).toBe(200);
      await fileSubmitAndIngestAnswers(api, batchId, {
        treasuryAccount: TREASURY_ACCOUNT,
        rejectShare: 0.2,
        seed: 'ops',
      });
    }
    expect((await api.call('admin', 'admin-1', 'POST', '/audit/checkpoints')).status).toBeLessThan(300);
  }

  /** Sample names in the scrape: `name` or `name_bucket`, `name_count`, `name_sum` of a histogram. */
  function sampledNames(): Set<string> {
    return new Set(
      exposition
        .split('\n')
        .filter((line) => line !== '' && !line.startsWith('#'))
        .map((line) => line.split(/[{ ]/)[0]),
    );
  }

  function sample(name: string, labels: Record<string, string> = {}): number[] {
    return exposition
      .split('\n')
      .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
      .filter((line) => Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`)))
      .map((line) => Number(line.slice(line.lastIndexOf(' ') + 1)));
  }

  it('logs JSON lines with correlation id, actor, command and outcome', () => {
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const requests = entries.filter((entry) => entry.command !== undefined);
    expect(requests.length).toBeGreaterThan(20);
    for (const request of requests) {
      expect(request).toEqual(
        expect.objectContaining({ correlationId: expect.any(String), outcome: expect.any(String) }),
      );
    }
    expect(requests).toContainEqual(
      expect.objectContaining({ command: 'POST /rounds', actor: 'po-1', role: 'programme-officer', outcome: 'ok' }),
    );
    expect(requests).toContainEqual(
      expect.objectContaining({ command: 'POST /batches/:batchId/approvals', actor: 'fo-maker', outcome: 'denied' }),
    );
    expect(requests).toContainEqual(
      expect.objectContaining({ actor: 'insp-1', outcome: 'denied', code: 'PII_GRANT_REQUIRED' }),
    );
    // The app's own messages are JSON lines too, with their context.
    expect(entries.some((entry) => entry.context !== undefined && entry.command === undefined)).toBe(true);
  });

  it('never logs a NIK, a KK, a name or an account number', () => {
    const everything = lines.join('');
    const leaked: string[] = [];
    for (let n = 1; n <= BENEFICIARIES; n++) {
      const person = syntheticBeneficiary(n);
      for (const value of [person.nik, person.kk, person.name, person.accountNumber]) {
        if (everything.includes(value)) leaked.push(value);
      }
    }
    expect(lines.length).toBeGreaterThan(0);
    expect(leaked).toEqual([]);
  });

  it('keeps /metrics to its own role', async () => {
    expect((await api.call('inspector', 'insp-1', 'GET', '/metrics')).status).toBe(403);
    expect((await api.call('monitor', 'prometheus', 'GET', '/programmes')).status).toBe(403);
  });

  it('exposes every catalogued metric, describing the round', () => {
    const names = sampledNames();
    const missing = Object.values(METRIC_CATALOGUE)
      .map(({ name }) => name)
      .filter((name) => ![name, `${name}_count`].some((sampled) => names.has(sampled)));
    expect(missing).toEqual([]);

    expect(sample('salur_rounds_open')).toEqual([1]);
    const credited = sample('salur_round_payments', { stage: 'credited' })[0];
    const rejected = sample('salur_round_payments', { stage: 'rejected' })[0];
    expect(credited + rejected).toBe(BENEFICIARIES);
    expect(rejected).toBeGreaterThan(0);
    expect(sample('salur_round_outstanding_payments')).toEqual([rejected]);
    expect(sample('salur_programme_budget_ceiling_rupiah', { programme: 'BANTU-UMAK' })).toEqual([1_000_000_000]);
    expect(sample('salur_dependency_up', { dependency: 'event-store' })).toEqual([1]);
    expect(sample('salur_jobs', { queue: 'open-round', state: 'completed' })).toEqual([1]);
    expect(sample('salur_command_duration_seconds_count', { command: 'POST /rounds', outcome: 'ok' })).toEqual([1]);
    expect(sample('salur_event_store_appended_events_total', { adapter: 'sqlite' })[0]).toBeGreaterThan(
      BENEFICIARIES * 3,
    );
    expect(sample('salur_merkle_checkpoint_tree_size_leaves')[0]).toBeGreaterThan(0);
  });

  it('names in the alert rules and the dashboard only metrics the scrape has', () => {
    const rules = parseYaml(readFileSync(join(DEPLOY, 'prometheus/alerts.yml'), 'utf8')) as {
      groups: Array<{
        rules: Array<{ alert: string; expr: string; labels: { severity: string }; annotations: { summary: string } }>;
      }>;
    };
    const expressions = rules.groups
      .flatMap((group) => group.rules)
      .map((rule) => {
        expect(rule).toEqual(
          expect.objectContaining({
            alert: expect.any(String),
            expr: expect.any(String),
            labels: { severity: expect.any(String) },
          }),
        );
        return rule.expr;
      });
    const dashboard = JSON.parse(readFileSync(join(DEPLOY, 'grafana/salur-dashboard.json'), 'utf8')) as {
      panels: Array<{ targets: Array<{ expr: string }> }>;
    };
    expressions.push(...dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr)));
    const named = new Set(expressions.flatMap((expression) => expression.match(/\bsalur_[a-z0-9_]+/g) ?? []));
    expect(named.size).toBeGreaterThan(20);
    const scraped = sampledNames();
    expect([...named].filter((name) => !scraped.has(name))).toEqual([]);
  });
});
