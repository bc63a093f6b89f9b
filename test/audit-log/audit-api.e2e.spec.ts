import {
  ED25519_COSIGNATURE_V1,
  generateNoteKey,
  openCheckpoint,
  parseSignedNote,
  parseSignerKey,
  parseVerifierKey,
  ProofDocument,
  verifyConsistency,
} from '@salur/audit-log';
import type { RecordedEvent } from '@salur/event-store';
import { AuditApi, startAuditApi } from './support/audit-api';
import {
  appendNoise,
  beneficiary,
  changeAccount,
  recordRound,
  reissuePayment,
  RoundResult,
} from './support/ledger-history';
import { ORIGIN, runVerifier, writeJson, writeText } from './support/log-fixture';

const generated = generateNoteKey(ORIGIN);
const logKey = parseSignerKey(generated.signerKey);
const witnessKeys = generateNoteKey('inspectorate.example/witness', ED25519_COSIGNATURE_V1);
const otherWitness = generateNoteKey('inspectorate.example/other', ED25519_COSIGNATURE_V1);

async function eventCount(api: AuditApi): Promise<number> {
  let count = 0;
  for await (const _ of api.store.readAll() as AsyncIterable<RecordedEvent>) count++;
  return count;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the audit log over HTTP (ApiModule + AuditLogModule, SQLite)', () => {
  let api: AuditApi;
  let round: RoundResult;
  const vkey = logKey.verifier.vkey;

  beforeAll(async () => {
    api = await startAuditApi({
      CHECKPOINT_SIGNING_KEY: generated.signerKey,
      CHECKPOINT_ORIGIN: ORIGIN,
      CHECKPOINT_INTERVAL: '100ms',
      AUDIT_WITNESS_KEYS: witnessKeys.vkey,
    });
    await appendNoise(api.store, 2);
    round = await recordRound(api.store, [
      { beneficiaryId: beneficiary(1), amount: '600000.00', outcome: { credited: '600000.00' } },
      { beneficiaryId: beneficiary(2), amount: '450000.00', outcome: { credited: '450000.00' } },
    ]);
  });

  afterAll(async () => {
    await api?.close();
  });

  /** The log follows the store and the interval signer signs; wait until both caught up. */
  async function signedUpToHead(): Promise<string> {
    const head = await eventCount(api);
    await until(
      () => api.get<{ treeSize: number }>('/audit/log', 'admin'),
      (response) => response.body.treeSize === head,
      'the log',
    );
    const latest = await until(
      () => api.get<string>('/audit/checkpoints/latest', 'inspector'),
      (response) => response.status === 200 && response.text.split('\n')[1] === String(head),
      `a checkpoint of size ${head}`,
    );
    return latest.text;
  }

  it('follows the ledger and signs C2SP checkpoints on its own, served as text', async () => {
    const note = await signedUpToHead();
    const { checkpoint } = openCheckpoint(note, logKey.verifier, ORIGIN);
    expect(checkpoint.size).toBe(await eventCount(api));
    const response = await api.get('/audit/checkpoints/latest', 'finance-officer');
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    const bySize = await api.get(`/audit/checkpoints/${checkpoint.size}`, 'inspector');
    expect(bySize.text).toBe(note);
  });

  it('serves a payment proof to any inspector (its personal data is sealed), which salur-verify accepts', async () => {
    await signedUpToHead();
    const paymentId = round.paymentIds[0];
    expect((await api.get(`/audit/payments/${paymentId}/proof`, 'finance-officer')).body).toMatchObject({
      code: 'ROLE_NOT_ALLOWED',
    });

    const response = await api.get<ProofDocument>(`/audit/payments/${paymentId}/proof`, 'inspector');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ format: 'salur-proof/v2', kind: 'payment', paymentId });
    expect(response.body.events.map((event) => event.type)).toEqual([
      'ApprovalPolicyDeclared',
      'BeneficiaryEnrolled',
      'PaymentScheduled',
      'BatchCreated',
      'PaymentBatched',
      'BatchApprovalRecorded',
      'BatchApproved',
      'BatchFileGenerated',
      'BatchFileGenerated',
      'BatchSubmitted',
      'PaymentSentToBank',
      'PaymentCredited',
    ]);
    const run = await runVerifier([writeJson(api.directory, 'proof.json', response.body), '--vkey', vkey]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(
      /^OK payment .*: full-amount: approved 600000.00, instructed 600000.00 \(ChrgBr DEBT, pain.001 [0-9a-f]{12}…\), credited 600000.00, deducted 0.00; 12 events proven/,
    );

    expect((await api.get(`/audit/beneficiaries/${beneficiary(2)}/proof`, 'admin')).body).toMatchObject({
      kind: 'beneficiary',
    });
    const batch = await api.get<ProofDocument>(`/audit/batches/${round.batchId}/proof`, 'admin');
    expect(batch.body.payments).toHaveLength(2);
    expect((await runVerifier([writeJson(api.directory, 'batch.json', batch.body), '--vkey', vkey])).stdout).toMatch(
      /^OK batch .*: all 2 payments full-amount/,
    );
    const unknown = await api.get(`/audit/payments/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}/proof`, 'admin');
    expect(unknown).toMatchObject({ status: 404, body: { code: 'NOT_IN_LOG' } });
    expect((await api.get('/audit/payments/NOT-A-UUID/proof', 'admin')).status).toBe(400);
  });

  it('binds the account paid to the beneficiary’s record by sealed commitment: a reissue elsewhere is verified but account-not-bound', async () => {
    const other = { bankCode: '002', accountNumber: '002201000999302', accountHolderName: 'SITI AMINAH' };
    const paid = async (n: number, recordChangedFirst: boolean) => {
      const payment = { beneficiaryId: beneficiary(n), amount: '300000.00' };
      const refused = await recordRound(api.store, [{ ...payment, outcome: { rejected: 'AC04' } }], '2026-12');
      if (recordChangedFirst) await changeAccount(api.store, beneficiary(n), other);
      await reissuePayment(api.store, refused.paymentIds[0], other);
      await recordRound(api.store, [{ ...payment, outcome: { credited: '300000.00' } }], {
        period: '2026-12',
        account: other,
      });
      return refused.paymentIds[0];
    };
    const [elsewhere, changed] = [await paid(3, false), await paid(4, true)];
    await signedUpToHead();
    const proofOf = async (paymentId: string) =>
      (await api.get<ProofDocument>(`/audit/payments/${paymentId}/proof`, 'inspector')).body;

    const refused = await proofOf(elsewhere);
    // Sealed in the leaves: the verifier compares commitments, never the account number itself.
    expect(JSON.stringify(refused)).not.toContain(other.accountNumber);
    const run = await runVerifier([writeJson(api.directory, 'elsewhere.json', refused), '--vkey', vkey]);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(
      new RegExp(
        `^VERIFIED payment ${elsewhere}: account-not-bound: the account at leaf \\d+ \\(PaymentReissued\\) is not the one beneficiary-${beneficiary(3)}'s record held, set at leaf \\d+ \\(BeneficiaryEnrolled\\): accountNumber differs \\(another commitment\\);`,
      ),
    );
    const bound = await runVerifier([writeJson(api.directory, 'changed.json', await proofOf(changed)), '--vkey', vkey]);
    expect(bound).toMatchObject({ code: 0, stderr: '' });
    expect(bound.stdout).toMatch(new RegExp(`^OK payment ${changed}: full-amount`));
  });

  it('proves that a later checkpoint extends an earlier one, in the proof and on its own', async () => {
    const earlier = openCheckpoint(await signedUpToHead(), logKey.verifier).checkpoint;
    const saved = writeText(api.directory, 'saved.txt', (await api.get('/audit/checkpoints/latest', 'inspector')).text);
    await appendNoise(api.store, 5);
    const later = openCheckpoint(await signedUpToHead(), logKey.verifier).checkpoint;
    expect(later.size).toBe(earlier.size + 5);

    const consistency = await api.get<{ proof: string[] }>(
      `/audit/consistency?from=${earlier.size}&to=${later.size}`,
      'inspector',
    );
    const proof = consistency.body.proof.map((hash) => Buffer.from(hash, 'base64'));
    expect(() => verifyConsistency(earlier.size, later.size, proof, earlier.rootHash, later.rootHash)).not.toThrow();
    expect(
      (await api.get(`/audit/consistency?from=${later.size}&to=${later.size + 1}`, 'inspector')).body,
    ).toMatchObject({ code: 'BEYOND_LOG' });

    const document = await api.get<ProofDocument>(
      `/audit/payments/${round.paymentIds[1]}/proof?since=${earlier.size}`,
      'admin',
    );
    expect(document.body.consistency).toMatchObject({ fromSize: earlier.size, toSize: later.size });
    const run = await runVerifier([
      writeJson(api.directory, 'later.json', document.body),
      '--vkey',
      vkey,
      '--checkpoint',
      saved,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/consistent with your checkpoint saved.txt; streams end/);
    const separate = writeJson(api.directory, 'consistency.json', consistency.body);
    const { consistency: _, ...bare } = document.body;
    const withFile = await runVerifier([
      writeJson(api.directory, 'bare.json', bare),
      '--vkey',
      vkey,
      '--checkpoint',
      saved,
      '--consistency',
      separate,
    ]);
    expect(withFile.code).toBe(0);
  });

  it('stores a witness cosignature and serves the cosigned checkpoint; the verifier can require it', async () => {
    const note = await signedUpToHead();
    const size = Number(note.split('\n')[1]);
    const checkpointFile = writeText(api.directory, 'to-cosign.txt', note);
    const keyFile = writeText(api.directory, 'witness.key', `WITNESS_SIGNING_KEY=${witnessKeys.signerKey}\n`);
    const cosign = await runVerifier(['cosign', checkpointFile, '--vkey', vkey, '--key', keyFile]);
    expect(cosign.code).toBe(0);
    const cosigned = `${cosign.stdout}\n`;
    expect(parseSignedNote(cosigned).signatures.map((signature) => signature.name)).toEqual([
      ORIGIN,
      'inspectorate.example/witness',
    ]);

    expect((await api.post(`/audit/checkpoints/${size}/cosignatures`, 'inspector', { note: cosigned })).status).toBe(
      403,
    );
    const stored = await api.post<string>(`/audit/checkpoints/${size}/cosignatures`, 'admin', { note: cosigned });
    expect(stored.status).toBe(200);
    expect(stored.text).toBe(cosigned);
    const foreign = generateNoteKey('inspectorate.example/other', ED25519_COSIGNATURE_V1);
    const foreignFile = writeText(api.directory, 'foreign.key', foreign.signerKey);
    const foreignNote = (await runVerifier(['cosign', checkpointFile, '--vkey', vkey, '--key', foreignFile])).stdout;
    expect(
      (await api.post(`/audit/checkpoints/${size}/cosignatures`, 'admin', { note: `${foreignNote}\n` })).body,
    ).toMatchObject({
      code: 'NO_WITNESS_COSIGNATURE',
    });

    const document = await api.get<ProofDocument>(`/audit/payments/${round.paymentIds[0]}/proof`, 'admin');
    expect(document.body.checkpoint).toBe(cosigned);
    const file = writeJson(api.directory, 'witnessed.json', document.body);
    const witnessed = await runVerifier([file, '--vkey', vkey, '--witness', witnessKeys.vkey]);
    expect(witnessed.code).toBe(0);
    expect(witnessed.stdout).toMatch(/cosigned by 1 witness\(es\); streams end/);
    const unwitnessed = await runVerifier([file, '--vkey', vkey, '--witness', otherWitness.vkey]);
    expect(unwitnessed).toMatchObject({
      code: 1,
      stderr: `FAILED: the checkpoint carries no valid cosignature by witness ${parseVerifierKey(otherWitness.vkey).name}+${parseVerifierKey(otherWitness.vkey).keyId.toString('hex')}`,
    });
  });

  it('signs on demand for an admin only', async () => {
    await appendNoise(api.store, 1);
    const head = await eventCount(api);
    await until(
      () => api.get<{ treeSize: number }>('/audit/log', 'admin'),
      (response) => response.body.treeSize === head,
      'the log',
    );
    const signed = await api.post<string>('/audit/checkpoints', 'admin');
    expect(signed.status).toBe(200);
    expect(signed.text.split('\n')[1]).toBe(String(head));
    expect((await api.post('/audit/checkpoints', 'finance-officer')).status).toBe(403);
  });
});
