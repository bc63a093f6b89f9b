/**
 * `npm run demo`: a whole disbursement round, played in this process on a temporary SQLite
 * store and the local Redis (under a unique queue prefix, removed at the end), through the
 * real API and its embedded BullMQ workers. What it shows is described in
 * libs/bank-integration/README.md ("The demo").
 */
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { EVENT_STORE, EventStore } from '@salur/event-store';
import { AccessTokens } from '@salur/http';
import type { Role } from '@salur/kernel';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import IORedis from 'ioredis';
import { apiConfigFrom } from '../apps/api/src/api.config';
import { ApiModule } from '../apps/api/src/api.module';
import { configureApi } from '../apps/api/src/bootstrap';
import { runBankSim } from '../libs/bank-integration/src/simulator/bank-sim-cli';
import { DEFAULT_SIMULATION } from '../libs/bank-integration/src/simulator/bank-simulator';

const BENEFICIARIES = Number(process.env.DEMO_BENEFICIARIES ?? 10_000);
// Bodies above ~64 KiB make the bulk endpoint crawl (see the README), so the extract goes in parts.
const ENROLMENT_CHUNK = 250;
const PROGRAMME = { code: 'BANTU-UMAK', fiscalYear: 2026, benefitAmount: '600000.00' };
const programmeId = `${PROGRAMME.code}-${PROGRAMME.fiscalYear}`;
const period = '2026-11';
const POLL_MS = 100;

const DISTRICTS = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13', '14'];
const BANK_CODES = ['002', '008', '009', '014'];
const GIVEN = ['SITI', 'AHMAD', 'NURHAYATI', 'BUDI', 'RINA', 'SUPARMAN', 'DEWI', 'HENDRA', 'YULIANA', 'SLAMET'];
const FAMILY = ['AMINAH', 'SANTOSO', 'HASIBUAN', 'LUBIS', 'PRATAMA', 'SARI', 'WIJAYA', 'HARAHAP', 'SIREGAR', 'PUTRI'];

interface Job {
  id: string;
  state: string;
  progress: { done?: number; total?: number } | number;
  result: unknown;
  failedReason: string | null;
}

/** A synthetic person of Musi Banyuasin (regency 16.06): a valid NIK, a KK, a 15-digit account. */
function person(n: number) {
  const district = DISTRICTS[n % DISTRICTS.length];
  const day = 1 + (n % 28);
  const female = n % 2 === 0;
  const ddmmyy = `${String(female ? day + 40 : day).padStart(2, '0')}${String(1 + (Math.floor(n / 28) % 12)).padStart(2, '0')}${String(40 + (Math.floor(n / 336) % 45)).padStart(2, '0')}`;
  const serial = String(1 + Math.floor(n / 28)).padStart(4, '0');
  return {
    nik: `1606${district}${ddmmyy}${serial}`,
    kk: `1606${district}${String(100_000 + n).padStart(10, '0')}`,
    name: `${GIVEN[n % GIVEN.length]} ${FAMILY[Math.floor(n / GIVEN.length) % FAMILY.length]} ${n}`,
    regionCode: `16.06.${district}.${2001 + (n % 20)}`,
    bankCode: BANK_CODES[n % BANK_CODES.length],
    accountNumber: account(n, 0),
  };
}

function account(n: number, version: number): string {
  return `${String(version).padStart(2, '0')}${String(190_100_000_000 + n).padStart(13, '0')}`;
}

async function main(): Promise<void> {
  const started = Date.now();
  // The demo's ledger is thrown away at the end: in memory-backed /dev/shm when there is one, an
  // fsync costs nothing and the run shows the product rather than the disk's latency.
  const directory = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'salur-demo-'));
  const prefix = `salur-demo-${randomUUID()}`;
  const config = apiConfigFrom({
    ...process.env,
    SQLITE_PATH: join(directory, 'events.db'),
    QUEUE_PREFIX: prefix,
    BANK_FILES_DIR: join(directory, 'bank-files'),
    EMBEDDED_WORKERS: 'true',
  });
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.register(config), {
    bodyParser: false,
    logger: process.env.DEMO_LOG ? ['error', 'warn', 'log'] : ['error'],
  });
  configureApi(app);
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  const store = app.get<EventStore>(EVENT_STORE);
  const tokens = new AccessTokens(config.http.jwt);
  const call = async (
    role: Role,
    userId: string,
    method: string,
    path: string,
    body?: unknown,
    type = 'application/json',
  ) => {
    const token = tokens.issue({ userId, role, grants: [], ttlSeconds: 3_600 });
    const payload =
      body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const headers = { authorization: `Bearer ${token}`, ...(payload ? { 'content-type': type } : {}) };
    const { status, contentType, text } = await exchange(method, `${url}${path}`, headers, payload);
    if (status >= 400) throw new Error(`${method} ${path}: ${status} ${text}`);
    return contentType.includes('json') ? JSON.parse(text) : text;
  };
  const bar = (title: string, total: number) => {
    const progress = new SingleBar(
      { format: `${title.padEnd(34)} {bar} {value}/{total} {note}`, hideCursor: true, barsize: 30 },
      Presets.shades_classic,
    );
    progress.start(total, 0, { note: '' });
    return progress;
  };
  const follow = async (title: string, queued: Job, unit: 'items' | 'steps' = 'items'): Promise<Job> => {
    const progress = bar(title, 1);
    for (;;) {
      const job: Job = await call('admin', 'demo', 'GET', `/jobs/${encodeURIComponent(queued.id)}`);
      const { done = 0, total = 0 } = typeof job.progress === 'object' ? job.progress : {};
      progress.setTotal(Math.max(total, 1));
      progress.update(done, { note: unit === 'steps' ? '' : job.state });
      if (job.state === 'completed') {
        progress.update(Math.max(total, 1), { note: 'done' });
        progress.stop();
        return job;
      }
      if (job.state === 'failed') throw new Error(`${job.id} failed: ${job.failedReason}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  };
  const say = (text: string) =>
    process.stdout.write(
      `${process.env.DEMO_TIMING ? `[${((Date.now() - started) / 1000).toFixed(1)}] ` : ''}${text}\n`,
    );

  try {
    say(
      `\nSalur demo: one disbursement round of ${BENEFICIARIES.toLocaleString('en')} beneficiaries, Musi Banyuasin (16.06)\n`,
    );
    await call('programme-officer', 'po-dewi', 'POST', '/programmes', {
      code: PROGRAMME.code,
      name: 'Bantuan Langsung Tunai Warga Miskin Ekstrem',
      fiscalYear: PROGRAMME.fiscalYear,
      budgetCeiling: '20000000000.00',
      benefitAmount: PROGRAMME.benefitAmount,
      currency: 'IDR',
    });
    say(`Programme ${programmeId}: Rp 600,000.00 per beneficiary per month, ceiling Rp 20 billion`);

    const enrolment = bar('Enrolling (registry extract)', BENEFICIARIES);
    for (let first = 1; first <= BENEFICIARIES; first += ENROLMENT_CHUNK) {
      const rows = ['nik,kk,name,region_code,bank_code,account_number,account_holder_name'];
      for (let n = first; n < Math.min(first + ENROLMENT_CHUNK, BENEFICIARIES + 1); n++) {
        const p = person(n);
        rows.push([p.nik, p.kk, p.name, p.regionCode, p.bankCode, p.accountNumber, p.name].join(','));
      }
      await call(
        'enrolment-officer',
        'eo-rina',
        'POST',
        `/programmes/${programmeId}/beneficiaries/bulk`,
        rows.join('\n'),
        'text/csv',
      );
      enrolment.update(Math.min(first + ENROLMENT_CHUNK - 1, BENEFICIARIES), { note: '' });
    }
    enrolment.stop();

    await follow(
      `Opening round ${period}`,
      await call('programme-officer', 'po-dewi', 'POST', '/rounds', { programmeId, period }),
    );
    const reissuedIds = new Set<string>();
    const round = async (label: string, rejectShare: number, returnShare: number) => {
      const built = await follow(
        `${label}: building batches`,
        await call('finance-officer', 'fo-siti', 'POST', `/rounds/${programmeId}/${period}/batches`),
        'steps',
      );
      const batches = built.result as Array<{
        batchId: string;
        count: number;
        controlSum: string;
        requiredApprovals: number;
      }>;
      say(
        `  ${batches.length} batch(es) made by fo-siti: ${batches.map((b) => `${b.count} payments / Rp ${b.controlSum}`).join(', ')}`,
      );
      for (const batch of batches) {
        const view = await call('finance-officer', 'fo-budi', 'GET', `/batches/${batch.batchId}`);
        for (const approver of ['fo-budi', 'fo-yuli'].slice(0, view.requiredApprovals)) {
          await call('finance-officer', approver, 'POST', `/batches/${batch.batchId}/approvals`, {
            contentHash: view.contentHash,
          });
        }
      }
      say(
        `  approved by fo-budi${batches.some((b) => b.requiredApprovals > 1) ? ' and fo-yuli (four eyes, two approvers above Rp 500 million)' : ''}`,
      );
      for (const [index, batch] of batches.entries()) {
        await follow(
          `${label}: bank file ${index + 1}/${batches.length}`,
          await call('bank-integration', 'h2h', 'POST', `/batches/${batch.batchId}/file`),
        );
        await call('bank-integration', 'h2h', 'POST', `/batches/${batch.batchId}/submission`);
        const xml = await call('bank-integration', 'h2h', 'GET', `/batches/${batch.batchId}/file?format=pain001`);
        const file = join(directory, `${batch.batchId}.pain001.xml`);
        writeFileSync(file, xml);
        const sim = await runBankSim(
          file,
          { ...DEFAULT_SIMULATION, rejectShare, returnShare, seed: label },
          config.bankIntegration.treasury.accountNumber,
        );
        say(
          `  bank: ${sim.summary.credited} credited, ${sim.summary.rejected} rejected, ${sim.summary.returned} credited then returned`,
        );
        for (const [kind, path] of [
          ['pain.002', sim.pain002Path],
          ['camt.054', sim.camt054Path],
        ] as const) {
          await follow(
            `${label}: ingesting ${kind}`,
            await call(
              'bank-integration',
              'h2h',
              'POST',
              '/bank-results',
              readFileSync(path, 'utf8'),
              'application/xml',
            ),
          );
        }
      }
    };
    await round('Round', 0.03, 0.01);

    // Enrolment officers fix the accounts the bank refused; the payments are reissued once.
    const refused = await refusedBeneficiaries(store);
    const fixing = bar('Fixing accounts (enrolment officer)', Math.max(refused.size, 1));
    let fixed = 0;
    for (const [beneficiaryId, n] of refused) {
      const p = person(n);
      await call('enrolment-officer', 'eo-rina', 'POST', `/beneficiaries/${beneficiaryId}/bank-account`, {
        bankAccount: { bankCode: p.bankCode, accountNumber: account(n, 1), accountHolderName: p.name },
        reason: 'account closed or blocked: new account verified at the branch',
      });
      fixing.update(++fixed, { note: '' });
    }
    fixing.stop();
    const reissue = await call('finance-officer', 'fo-siti', 'POST', `/rounds/${programmeId}/${period}/reissues`);
    say(`Reissued ${reissue.reissued} payment(s) to the fixed accounts`);
    for (const paymentId of refused.keys()) reissuedIds.add(paymentId);
    if (reissue.reissued > 0) await round('Reissue', 0, 0);

    await summary(store, say);
    say(
      `\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s. Events: ${await store.headPosition()}; files under ${directory} (removed now).`,
    );
  } finally {
    await app.close();
    await deleteKeys(prefix);
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Beneficiaries whose payment was rejected or returned, with their synthetic serial number. */
async function refusedBeneficiaries(store: EventStore): Promise<Map<string, number>> {
  const beneficiaryOfPayment = new Map<string, string>();
  const serialOf = new Map<string, number>();
  const refused = new Map<string, number>();
  for await (const event of store.readAll()) {
    if (event.type === 'BeneficiaryEnrolled')
      serialOf.set(String(event.data.beneficiaryId), Number(/ (\d+)$/.exec(String(event.data.name))?.[1]));
    if (event.type === 'PaymentScheduled')
      beneficiaryOfPayment.set(String(event.data.paymentId), String(event.data.beneficiaryId));
    if (event.type === 'PaymentRejected' || event.type === 'PaymentReturned') {
      const beneficiaryId = beneficiaryOfPayment.get(String(event.data.paymentId)) as string;
      refused.set(beneficiaryId, serialOf.get(beneficiaryId) as number);
    }
  }
  return refused;
}

/** The closing table, from the log: each payment's last outcome, with counts and amounts. */
async function summary(store: EventStore, say: (text: string) => void): Promise<void> {
  const last = new Map<string, { status: string; amount: number; reissued: boolean }>();
  let deducted = 0;
  let exceptions = 0;
  for await (const event of store.readAll()) {
    const id = String(event.data.paymentId);
    const payment = last.get(id);
    switch (event.type) {
      case 'PaymentScheduled':
        last.set(id, { status: 'outstanding', amount: Number(event.data.amount), reissued: false });
        break;
      case 'PaymentCredited':
        if (payment) payment.status = 'credited';
        deducted += Number(event.data.deductedAmount);
        break;
      case 'PaymentRejected':
      case 'PaymentReturned':
        if (payment) payment.status = event.type === 'PaymentRejected' ? 'rejected' : 'returned';
        break;
      case 'PaymentReissued':
        if (payment) Object.assign(payment, { status: 'outstanding', reissued: true });
        break;
      case 'BankResultException':
        exceptions++;
        break;
    }
  }
  const rows = ['credited', 'rejected', 'returned', 'outstanding'].map((status) => {
    const matching = [...last.values()].filter((payment) => payment.status === status);
    return [status, matching.length, matching.reduce((sum, payment) => sum + payment.amount, 0)] as const;
  });
  const reissued = [...last.values()].filter((payment) => payment.reissued);
  const reissuedCredited = reissued.filter((payment) => payment.status === 'credited');
  const rupiah = (amount: number) => `Rp ${amount.toLocaleString('en', { minimumFractionDigits: 2 })}`;
  say('\n  status                     payments              amount');
  say('  ----------------------------------------------------------');
  for (const [status, count, amount] of rows)
    say(`  ${status.padEnd(20)} ${String(count).padStart(14)} ${rupiah(amount).padStart(19)}`);
  say(
    `  ${'reissued after fix'.padEnd(20)} ${String(reissued.length).padStart(14)} ${rupiah(reissued.reduce((s, p) => s + p.amount, 0)).padStart(19)}`,
  );
  say(
    `  ${'  of which credited'.padEnd(20)} ${String(reissuedCredited.length).padStart(14)} ${rupiah(reissuedCredited.reduce((s, p) => s + p.amount, 0)).padStart(19)}`,
  );
  say('  ----------------------------------------------------------');
  say(
    `  ${'total'.padEnd(20)} ${String(last.size).padStart(14)} ${rupiah([...last.values()].reduce((s, p) => s + p.amount, 0)).padStart(19)}`,
  );
  say(
    `\n  Deducted by banks: ${rupiah(deducted)} (ChrgBr DEBT: charges borne by the programme). Reconciliation exceptions: ${exceptions}.`,
  );
}

/** One exchange on its own connection (no keep-alive socket to race with the server closing it). */
function exchange(
  method: string,
  url: string,
  headers: Record<string, string>,
  payload: Buffer | undefined,
): Promise<{ status: number; contentType: string; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method,
        agent: false,
        headers: { ...headers, ...(payload ? { 'content-length': String(payload.length) } : {}) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            contentType: String(response.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

async function deleteKeys(prefix: string): Promise<void> {
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

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
