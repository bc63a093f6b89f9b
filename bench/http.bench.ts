import { Benchmark, Measurement } from './harness';
import { BenchApi, startBenchApi } from './support/http-api';
import { runLoad } from './support/http-load';

/** Issue 7: 50 connections. */
const CONNECTIONS = 50;
/** Long enough for a stable rate and a meaningful p99, short enough for `npm run bench`. */
const DURATION_SECONDS = 5;
/** The first requests of a fresh process pay for JIT compilation and warming caches: not measured. */
const WARMUP_SECONDS = 1;
/** Issue 7's target: the command endpoint at ≥ 40% of the trivial endpoint's requests/s. */
const TARGET_RATIO = 0.4;
const COMMAND_CASE = `POST /programmes/:id/beneficiaries (enrol), ${CONNECTIONS} connections`;

async function createProgramme(api: BenchApi): Promise<string> {
  const response = await fetch(`${api.url}/programmes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${api.token('programme-officer')}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      code: 'BENCH',
      name: 'Benchmark programme',
      fiscalYear: 2026,
      budgetCeiling: '1000000000000.00',
      benefitAmount: '600000.00',
      currency: 'IDR',
    }),
  });
  const body = (await response.json()) as { id?: string };
  if (response.status !== 201 || !body.id) throw new Error(`Creating the programme answered ${response.status}`);
  return body.id;
}

/** One run: a fresh API on a fresh store, loaded by autocannon from another process. */
async function loadEndpoint(path: (programmeId: string) => string): Promise<Measurement> {
  const api = await startBenchApi();
  try {
    const programmeId = await createProgramme(api);
    const result = await runLoad({
      url: api.url,
      path: path(programmeId),
      token: api.token('enrolment-officer'),
      connections: CONNECTIONS,
      durationSeconds: DURATION_SECONDS,
      warmupSeconds: WARMUP_SECONDS,
    });
    // A refused or failed request is not throughput: the benchmark is broken if any occur.
    if (result.failed > 0) throw new Error(`${result.failed} requests to ${path(programmeId)} failed or were refused`);
    return { units: result.ok, seconds: result.seconds, latencyMs: result.latencyMs };
  } finally {
    await api.close();
  }
}

export const httpBenchmarks: Benchmark[] = [
  {
    name: 'http-command',
    unit: 'requests/s',
    baseline: {
      name: `POST /bench/ping (trivial, same guard, body and token), ${CONNECTIONS} connections`,
      run: () => loadEndpoint(() => '/bench/ping'),
    },
    cases: [
      { name: COMMAND_CASE, run: () => loadEndpoint((programmeId) => `/programmes/${programmeId}/beneficiaries`) },
    ],
    targets: { [COMMAND_CASE]: TARGET_RATIO },
  },
];
