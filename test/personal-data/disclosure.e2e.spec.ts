import { fileSubmitAndIngestAnswers } from '../bank-integration/support/bank-answers';
import type { LoggerService } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateNoteKey, MerkleLogStore } from '@salur/audit-log';
import { RAW_EVENT_STORE, type EventStore, type RecordedEvent } from '@salur/event-store';
import type { Role } from '@salur/kernel';
import { writeJson } from '../audit-log/support/log-fixture';
import { BankRoundApi, JobView, startBankRoundApi } from '../bank-integration/support/bank-round-api';
import { rawRequest, type RawResponse } from '../bank-integration/support/raw-request';
import { enrolment } from '../ledger/ledger-api';

// The verifier is plain CommonJS on purpose (an inspector reads it whole).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { main } = require('../../tools/salur-verify.js') as {
  main(argv: string[]): { code: number; line: string };
};

const ORIGIN = 'salur.example/ledger';
const TREASURY_ACCOUNT = '0012301000000099';
const period = '2026-11';
const logKey = generateNoteKey(ORIGIN);
const DISCLOSURE_ENDPOINT = 'GET /beneficiaries/:beneficiaryId/disclosure';
/** Bounds the waits on the log and the checkpoint signer: they run on their own timers. */
const POLL_MS = 20;
const WAIT_MS = 60_000;

interface Disclosure {
  readonly beneficiaryId: string;
  readonly subject: string;
  readonly fields: ReadonlyArray<{ readonly kind: string; readonly value: string; readonly commitmentKey: string }>;
}

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
 * A beneficiary checks a proof against their own data: an inspector with the pii grant obtains
 * the beneficiary's current values and commitment keys (GET /beneficiaries/:id/disclosure), and
 * `salur-verify disclose` finds, in a proof any inspector may take, the sealed fields committing
 * to them. The read is recorded like every clear read; without the grant it is refused, unrecorded.
 */
describe('disclosing a beneficiary to check their proof', () => {
  const logs = new CapturedLogs();
  let api: BankRoundApi;
  let raw: EventStore;
  const directory = mkdtempSync(join(tmpdir(), 'salur-disclosure-'));

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
    rmSync(directory, { recursive: true, force: true });
  });

  /** A GET as this user with these grants (the round helper issues tokens without grants). */
  const read = (role: Role, userId: string, path: string, grants: readonly string[] = []): Promise<RawResponse> =>
    rawRequest('GET', `${api.ledger.api.url}${path}`, {
      authorization: `Bearer ${api.ledger.api.token(role, userId, grants)}`,
    });

  const job = async (response: { status: number; json: <T>() => T }) => {
    expect(response.status).toBe(202);
    return api.finish(response.json<JobView>());
  };

  async function createProgramme(code: string): Promise<string> {
    const created = await api.call('programme-officer', 'po-1', 'POST', '/programmes', {
      code,
      name: 'Bantuan Langsung Tunai',
      fiscalYear: 2026,
      budgetCeiling: '100000000.00',
      benefitAmount: '600000.00',
      currency: 'IDR',
      personalDataRetention: 'P0D',
    });
    expect(created.status).toBe(201);
    return created.json<{ id: string }>().id;
  }

  async function enrol(programmeId: string, serial: number): Promise<string> {
    const path = `/programmes/${programmeId}/beneficiaries`;
    const enrolled = await api.call('enrolment-officer', 'eo-1', 'POST', path, enrolment(serial));
    expect(enrolled.status).toBe(201);
    return enrolled.json<{ id: string }>().id;
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
      seed: 'disclosure',
    });
  }

  async function recordsOf(userId: string): Promise<RecordedEvent[]> {
    const records: RecordedEvent[] = [];
    for await (const event of api.store.readStream(`pii-access-${userId}`)) records.push(event);
    return records;
  }

  async function logSize(): Promise<number> {
    const all: RecordedEvent[] = [];
    for await (const event of raw.readAll()) all.push(event);
    return all.length;
  }

  /** A stream's leaves in the Merkle log, in the shape of a proof's `events`. */
  async function loggedStream(stream: string): Promise<unknown> {
    const log = api.ledger.api.app.get(MerkleLogStore);
    const { treeSize } = await log.state();
    const leaves = await log.leavesOfStreams([stream], treeSize);
    return {
      events: leaves.map((leaf) => ({
        leafIndex: leaf.leafIndex,
        type: leaf.eventType,
        leafBytes: leaf.leafBytes.toString('base64'),
      })),
    };
  }

  /** Runs `salur-verify disclose` on a proof, as the beneficiary would on their own machine. */
  function disclose(proof: unknown, name: string, kind: string, value: string, commitmentKey: string) {
    const file = writeJson(directory, name, proof);
    return main(['disclose', file, '--kind', kind, '--value', value, '--commitment-key', commitmentKey]);
  }

  const fieldOf = (disclosure: Disclosure, kind: string) => disclosure.fields.find((field) => field.kind === kind)!;

  it('gives a granted inspector the values and keys that find the commitments in the proofs', async () => {
    const programmeId = await createProgramme('BANTU-UMAK');
    const beneficiaryId = await enrol(programmeId, 1);
    await enrol(programmeId, 2);
    await payRound(programmeId);
    const paymentId = (await api.events('PaymentScheduled')).find(
      (event) => event.data.beneficiaryId === beneficiaryId,
    )!.data.paymentId as string;

    // The proofs, as any inspector takes them: every personal field in them sealed.
    const size = await logSize();
    await until(
      () => read('inspector', 'insp-plain', '/audit/checkpoints/latest'),
      (response) => response.status === 200 && Number(response.body.toString('utf8').split('\n')[1]) >= size,
      `a checkpoint of size ${size}`,
    );
    const paymentProof = await read('inspector', 'insp-plain', `/audit/payments/${paymentId}/proof`);
    expect(paymentProof.status).toBe(200);
    const beneficiaryProof = await read('inspector', 'insp-plain', `/audit/beneficiaries/${beneficiaryId}/proof`);
    expect(beneficiaryProof.status).toBe(200);

    // Without the grant: refused, whether the beneficiary exists or not, and nothing is written.
    const head = await api.store.headPosition();
    const path = `/beneficiaries/${beneficiaryId}/disclosure?minPosition=${head}`;
    for (const refusedPath of [path, '/beneficiaries/00000000-0000-4000-8000-000000000000/disclosure']) {
      const refused = await read('inspector', 'insp-plain', refusedPath);
      expect({ status: refused.status, code: refused.json().code }).toEqual({
        status: 403,
        code: 'PII_GRANT_REQUIRED',
      });
    }
    expect(await recordsOf('insp-plain')).toEqual([]);
    expect(await api.store.headPosition()).toBe(head);

    // With the grant: the current values, each with its kind's commitment key.
    const answer = await read('inspector', 'insp-pii', path, ['pii']);
    expect(answer.status).toBe(200);
    expect(answer.headers['cache-control']).toBe('no-store');
    const disclosure = answer.json<Disclosure>();
    const person = enrolment(1);
    expect({ ...disclosure, fields: disclosure.fields.map(({ kind, value }) => ({ kind, value })) }).toEqual({
      beneficiaryId,
      subject: `beneficiary-${beneficiaryId}`,
      fields: [
        { kind: 'nik', value: person.nik },
        { kind: 'kk', value: person.kk },
        { kind: 'name', value: person.name },
        { kind: 'account-number', value: person.bankAccount.accountNumber },
        { kind: 'account-holder-name', value: person.bankAccount.accountHolderName },
      ],
    });

    // The account the payment was batched to is the one on the record, in either proof.
    const account = fieldOf(disclosure, 'account-number');
    const paid = disclose(paymentProof.json(), 'payment.json', 'account-number', account.value, account.commitmentKey);
    expect(paid.code).toBe(0);
    expect(paid.line).toMatch(/PaymentBatched account\.accountNumber/);
    const ofBeneficiary = disclose(
      beneficiaryProof.json(),
      'beneficiary.json',
      'account-number',
      account.value,
      account.commitmentKey,
    );
    expect(ofBeneficiary.code).toBe(0);
    expect(ofBeneficiary.line).toMatch(/PaymentBatched account\.accountNumber/);
    // A beneficiary proof carries the payment and batch streams, not the beneficiary's own (so no
    // NIK): the NIK is checked against the logged leaves of that stream, as an export holds them.
    const nik = fieldOf(disclosure, 'nik');
    const enrolled = disclose(await loggedStream(disclosure.subject), 'log.json', 'nik', nik.value, nik.commitmentKey);
    expect(enrolled.code).toBe(0);
    expect(enrolled.line).toMatch(/BeneficiaryEnrolled nik /);
    // Another value, or the key of another kind, commits to nothing.
    const otherAccount = enrolment(2).bankAccount.accountNumber;
    expect(disclose(paymentProof.json(), 'p.json', 'account-number', otherAccount, account.commitmentKey).code).toBe(1);
    expect(disclose(paymentProof.json(), 'p.json', 'account-number', account.value, nik.commitmentKey).code).toBe(1);

    // Recorded before the answer left: who, which beneficiary, through the disclosure route.
    const records = await recordsOf('insp-pii');
    expect(records.map(({ type, data }) => ({ type, data }))).toEqual([
      {
        type: 'PersonalDataViewed',
        data: {
          viewerId: 'insp-pii',
          viewerRole: 'inspector',
          beneficiaryIds: [beneficiaryId],
          endpoint: DISCLOSURE_ENDPOINT,
          at: expect.any(String),
        },
      },
    ]);

    // An admin may ask too, and is recorded as well (the keys outlive the request); neither
    // answer's values or keys are in the logs.
    const byAdmin = await read('admin', 'admin-a', path);
    expect(byAdmin.json<Disclosure>().fields).toEqual(disclosure.fields);
    expect((await recordsOf('admin-a')).map(({ data }) => data)).toEqual([
      expect.objectContaining({ viewerId: 'admin-a', viewerRole: 'admin', beneficiaryIds: [beneficiaryId] }),
    ]);
    const secrets = disclosure.fields.flatMap(({ value, commitmentKey }) => [value, commitmentKey]);
    expect(logs.lines.filter((line) => secrets.some((secret) => line.includes(secret)))).toEqual([]);
  });

  it('answers 404 for an unknown beneficiary and 422 for an erased one, recording neither', async () => {
    const programmeId = await createProgramme('PKH');
    const beneficiaryId = await enrol(programmeId, 3);
    const exited = await api.call('enrolment-officer', 'eo-1', 'POST', `/beneficiaries/${beneficiaryId}/exit`, {
      reason: 'moved',
    });
    expect(exited.status).toBe(200);
    const erasure = `/beneficiaries/${beneficiaryId}/erasure`;
    expect((await api.call('admin', 'admin-a', 'POST', erasure, { reason: 'asked' })).status).toBe(200);
    expect((await api.call('admin', 'admin-b', 'POST', `${erasure}/approval`)).status).toBe(200);
    const head = await api.store.headPosition();

    const unknown = await read(
      'inspector',
      'insp-late',
      `/beneficiaries/00000000-0000-4000-8000-000000000000/disclosure?minPosition=${head}`,
      ['pii'],
    );
    expect({ status: unknown.status, code: unknown.json().code }).toEqual({
      status: 404,
      code: 'BENEFICIARY_NOT_FOUND',
    });
    const erased = await read(
      'inspector',
      'insp-late',
      `/beneficiaries/${beneficiaryId}/disclosure?minPosition=${head}`,
      ['pii'],
    );
    expect({ status: erased.status, code: erased.json().code }).toEqual({ status: 422, code: 'BENEFICIARY_ERASED' });
    expect(await recordsOf('insp-late')).toEqual([]);
  });
});
