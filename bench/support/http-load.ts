import autocannon from 'autocannon';
import { fork } from 'node:child_process';

/**
 * The load generator of the HTTP benchmark, run in a process of its own so that autocannon does
 * not share the event loop (and the one core it runs on) with the API it measures.
 */
export interface LoadSpec {
  readonly url: string;
  readonly path: string;
  readonly token: string;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
}

export interface LoadResult {
  /** Requests answered 2xx during the measured window. */
  readonly ok: number;
  readonly failed: number;
  readonly seconds: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number };
}

/** A child process can hang on a stuck server; past this it is killed and the run fails. */
const LOAD_TIMEOUT_MARGIN_MS = 60_000;

/** Runs one load in a child process and answers its figures. */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, [JSON.stringify(spec)], {
      execArgv: ['-r', 'ts-node/register/transpile-only'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const timer = setTimeout(
      () => child.kill('SIGKILL'),
      (spec.durationSeconds + spec.warmupSeconds) * 1_000 + LOAD_TIMEOUT_MARGIN_MS,
    );
    let result: LoadResult | undefined;
    child.on('message', (message) => (result = message as LoadResult));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (result) resolve(result);
      else reject(new Error(`The load process ended without a result (code ${code}, signal ${signal})`));
    });
  });
}

/**
 * A valid enrolment, distinct for each n below 9,999 × 28 × 12 × 50: the NIK's 4-digit serial,
 * then a woman's birth day (41..68), month and 2-digit year vary. Every request enrols someone new.
 */
export function enrolmentBody(n: number): string {
  const serial = (n % 9_999) + 1;
  const rest = Math.floor(n / 9_999);
  const day = 41 + (rest % 28);
  const month = 1 + (Math.floor(rest / 28) % 12);
  const year = 50 + (Math.floor(rest / 336) % 50);
  const nik = `160601${day}${String(month).padStart(2, '0')}${year}${String(serial).padStart(4, '0')}`;
  return JSON.stringify({
    nik,
    kk: '1606010101100001',
    name: `SITI AMINAH ${n}`,
    regionCode: '16.06.01.2001',
    bankAccount: {
      bankCode: '002',
      accountNumber: `0019${String(n).padStart(11, '0')}`,
      accountHolderName: `SITI AMINAH ${n}`,
    },
  });
}

async function load(spec: LoadSpec): Promise<LoadResult> {
  let next = 0;
  // autocannon 8 warms up with its own connections and leaves those requests out of the result;
  // its type definitions do not know the option yet.
  const options: autocannon.Options & { warmup: { connections: number; duration: number } } = {
    url: spec.url,
    connections: spec.connections,
    duration: spec.durationSeconds,
    warmup: { connections: spec.connections, duration: spec.warmupSeconds },
    requests: [
      {
        method: 'POST',
        path: spec.path,
        headers: { authorization: `Bearer ${spec.token}`, 'content-type': 'application/json' },
        // A fresh body per request: every enrolment is a new NIK, so none is refused as a duplicate.
        setupRequest: (request) => ({ ...request, body: enrolmentBody(next++) }),
      },
    ],
  };
  const result = await autocannon(options);
  return {
    ok: result['2xx'],
    failed: result.non2xx + result.errors + result.timeouts,
    seconds: result.duration,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
  };
}

if (require.main === module && process.send) {
  const send = process.send.bind(process);
  load(JSON.parse(process.argv[2]) as LoadSpec)
    .then((result) => send(result, () => process.exit(0)))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
