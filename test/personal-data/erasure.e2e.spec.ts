import { fileSubmitAndIngestAnswers } from '../bank-integration/support/bank-answers';
import type { LoggerService } from '@nestjs/common';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditExportCommand, generateNoteKey, parseSignerKey } from '@salur/audit-log';
import { RAW_EVENT_STORE, type EventStore, type RecordedEvent } from '@salur/event-store';
import { checkCommand } from '@salur/invariants';
import { runVerifier, writeJson } from '../audit-log/support/log-fixture';
import { BankRoundApi, JobView, startBankRoundApi } from '../bank-integration/support/bank-round-api';
import { enrolment } from '../ledger/ledger-api';

const ORIGIN = 'salur.example/ledger';
const TREASURY_ACCOUNT = '0012301000000099';
const period = '2026-11';
const logKey = generateNoteKey(ORIGIN);
/** Bounds the waits on the log and the checkpoint signer: they run on their own timers. */
const POLL_MS = 20;
const WAIT_MS = 60_000;

/** Every line the app logs, whatever the level. */
class CapturedLogs implements LoggerService {
  readonly lines: string[] = [];
  private keep(level: string, message: unknown, rest: unknown[]): void {
    this.lines.push(`${level} ${JSON.stringify([message, ...rest])}`);
  }
  log = (message: unknown, ...rest: unknown[]) => this.keep('log', message, rest);
  error = (message: unknown, ...rest: unknown[]) => this.keep('error', message, rest);
  warn = (message: unknown, ...rest: unknown[]) => this.keep('warn', message, rest);
  debug = (message: unknown, ...rest: unknown[]) => this.keep('debug', message, rest);
  verbose = (message: unknown, ...rest: unknown[]) => this.keep('verbose', message, rest);
  fatal = (message: unknown, ...rest: unknown[]) => this.keep('fatal', message, rest);
}

/** The clear personal data of an enrolment: none of it may be stored or logged anywhere. */
function clearValuesOf(serial: number): string[] {
  const person = enrolment(serial);
  return [person.nik, person.kk, person.name, person.bankAccount.accountNumber];
}

function everyFileUnder(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? everyFileUnder(join(directory, entry.name)) : [join(directory, entry.name)],
  );
}

/** The clear values found in these files' bytes (SQLite pages, WAL and all), as `file: value`. */
function foundIn(files: readonly string[], values: readonly string[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    const bytes = readFileSync(file);
    for (const value of values) if (bytes.includes(Buffer.from(value, 'utf8'))) found.push(`${file}: ${value}`);
  }
  return found;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Issue 18's promise, end to end through the real API, its workers and the bank simulator on
 * SQLite: a beneficiary is enrolled, paid and erased; afterwards their NIK, KK, name and account
 * are nowhere in the event store, the Merkle log, an export, the read models or the logs (the other
 * beneficiary's neither: sealed from the start), their payment proof still verifies without the
 * pii grant, the checker is clean, and an erasure inside the retention period is refused.
 */
describe('erasing a paid beneficiary', () => {
  const logs = new CapturedLogs();
  let api: BankRoundApi;
  let raw: EventStore;
  const exportDir = mkdtempSync(join(tmpdir(), 'salur-erasure-export-'));

  beforeAll(async () => {
    api = await startBankRoundApi(
      {
        APPROVAL_TIERS: '*:1',
        TREASURY_ACCOUNT,
        CHECKPOINT_SIGNING_KEY: logKey.signerKey,
        CHECKPOINT_ORIGIN: ORIGIN,
        CHECKPOINT_INTERVAL: '100ms',
      },
      'sqlite',
      logs,
    );
    raw = api.ledger.api.app.get<EventStore>(RAW_EVENT_STORE);
  });
  afterAll(async () => {
    await api?.close();
    rmSync(exportDir, { recursive: true, force: true });
  });

  const job = async (response: { status: number; json: <T>() => T }) => {
    expect(response.status).toBe(202);
    return api.finish(response.json<JobView>());
  };

  async function createProgramme(code: string, personalDataRetention: string): Promise<string> {
    const created = await api.call('programme-officer', 'po-1', 'POST', '/programmes', {
      code,
      name: 'Bantuan Langsung Tunai',
      fiscalYear: 2026,
      budgetCeiling: '100000000.00',
      benefitAmount: '600000.00',
      currency: 'IDR',
      personalDataRetention,
    });
    expect(created.status).toBe(201);
    return created.json<{ id: string }>().id;
  }

  async function enrol(programmeId: string, serial: number): Promise<string> {
    const enrolled = await api.call(
      'enrolment-officer',
      'eo-1',
      'POST',
      `/programmes/${programmeId}/beneficiaries`,
      enrolment(serial),
    );
    expect(enrolled.status).toBe(201);
    return enrolled.json<{ id: string }>().id;
  }

  async function exit(beneficiaryId: string): Promise<void> {
    const path = `/beneficiaries/${beneficiaryId}/exit`;
    const exited = await api.call('enrolment-officer', 'eo-1', 'POST', path, { reason: 'moved' });
    expect(exited.status).toBe(200);
  }

  /** The round paid in full: round, batch, approval, files, submission, the bank's answers. */
  async function payRound(programmeId: string): Promise<void> {
    await job(await api.call('programme-officer', 'po-1', 'POST', '/rounds', { programmeId, period }));
    const built = await job(
      await api.call('finance-officer', 'fo-maker', 'POST', `/rounds/${programmeId}/${period}/batches`),
    );
    const [{ batchId }] = built.result as Array<{ batchId: string }>;
    const batch = (await api.call('finance-officer', 'fo-approver', 'GET', `/batches/${batchId}`)).json<{
      contentHash: string;
    }>();
    const approved = await api.call('finance-officer', 'fo-approver', 'POST', `/batches/${batchId}/approvals`, {
      contentHash: batch.contentHash,
    });
    expect(approved.status).toBe(200);
    await fileSubmitAndIngestAnswers(api, batchId, {
      treasuryAccount: TREASURY_ACCOUNT,
      rejectShare: 0,
      seed: 'erasure',
    });
  }

  async function rawEvents(): Promise<RecordedEvent[]> {
    const all: RecordedEvent[] = [];
    for await (const event of raw.readAll()) all.push(event);
    return all;
  }

  it('leaves no personal data anywhere, and the proof and the checker still hold', async () => {
    const programmeId = await createProgramme('BANTU-UMAK', 'P0D');
    const erased = await enrol(programmeId, 1);
    const kept = await enrol(programmeId, 2);
    await payRound(programmeId);
    const credited = (await api.events('PaymentCredited')).map((event) => event.data.paymentId as string);
    expect(credited).toHaveLength(2);
    const paymentOfErased = (await api.events('PaymentScheduled')).find((event) => event.data.beneficiaryId === erased)!
      .data.paymentId as string;

    // Erasure: the beneficiary left, no retention runs, two different admins.
    await exit(erased);
    const request = await api.call('admin', 'admin-a', 'POST', `/beneficiaries/${erased}/erasure`, {
      reason: 'asked by the person',
    });
    expect(request.status).toBe(200);
    const selfApproval = await api.call('admin', ' Admin-A ', 'POST', `/beneficiaries/${erased}/erasure/approval`);
    expect(selfApproval.status).toBeGreaterThanOrEqual(400);
    const approval = await api.call('admin', 'admin-b', 'POST', `/beneficiaries/${erased}/erasure/approval`);
    expect(approval.status).toBe(200);

    // Read through the API: erased, and no longer readable by anyone.
    const head = await api.store.headPosition();
    const shown = await api.call('admin', 'admin-a', 'GET', `/beneficiaries/${erased}?minPosition=${head}`);
    expect(shown.status).toBe(200);
    expect(shown.json()).toMatchObject({ nik: '[erased]', kk: '[erased]', name: '[erased]' });
    const other = await api.call('admin', 'admin-a', 'GET', `/beneficiaries/${kept}?minPosition=${head}`);
    expect(other.json()).toMatchObject({ nik: enrolment(2).nik });

    // The log signs up to the head; the proof verifies for an inspector without the grant.
    const size = (await rawEvents()).length;
    await until(
      () => api.call('inspector', 'in-1', 'GET', '/audit/checkpoints/latest'),
      (response) => response.status === 200 && response.body.toString('utf8').split('\n')[1] === String(size),
      `a checkpoint of size ${size}`,
    );
    const proof = await api.call('inspector', 'in-1', 'GET', `/audit/payments/${paymentOfErased}/proof`);
    expect(proof.status).toBe(200);
    const proofFile = writeJson(exportDir, 'proof.json', proof.json());
    const verified = await runVerifier([proofFile, '--vkey', parseSignerKey(logKey.signerKey).verifier.vkey]);
    expect(verified).toMatchObject({ code: 0 });
    expect(verified.stdout).toMatch(/full-amount/);

    // An export of the whole log, as an outside auditor gets it.
    const env = { SQLITE_PATH: join(api.ledger.api.directory, 'events.db'), CHECKPOINT_ORIGIN: ORIGIN };
    await auditExportCommand([join(exportDir, 'log')], env, { stdout: () => undefined, stderr: () => undefined });

    // No clear value of either beneficiary: events, log, read models, keys, export, proof, logs.
    const secrets = [...clearValuesOf(1), ...clearValuesOf(2)];
    expect(JSON.stringify(await rawEvents()).match(new RegExp(secrets.join('|'), 'g'))).toBeNull();
    const databases = everyFileUnder(api.ledger.api.directory);
    expect(databases.map((file) => file.split('/').pop())).toEqual(
      expect.arrayContaining(['events.db', 'salur-read.db', 'salur-audit.db', 'salur-keys.db']),
    );
    expect(foundIn(databases, secrets)).toEqual([]);
    expect(foundIn(everyFileUnder(exportDir), secrets)).toEqual([]);
    expect(logs.lines.filter((line) => secrets.some((secret) => line.includes(secret)))).toEqual([]);

    // The checker reads the same files: clean, the erased beneficiary reported as such.
    const output: string[] = [];
    const code = await checkCommand(['--json'], env, {
      stdout: (text) => output.push(text),
      stderr: (text) => output.push(text),
    });
    expect({ code, output: code === 0 ? [] : output }).toEqual({ code: 0, output: [] });
  });

  it('refuses erasure while the programme keeps personal data', async () => {
    const programmeId = await createProgramme('PKH', 'P5Y');
    const beneficiaryId = await enrol(programmeId, 3);
    await exit(beneficiaryId);
    const before = await api.store.headPosition();
    const refused = await api.call('admin', 'admin-a', 'POST', `/beneficiaries/${beneficiaryId}/erasure`, {
      reason: 'asked',
    });
    expect(refused.status).toBe(422);
    expect(await api.store.headPosition()).toBe(before);
  });
});
