import { beneficiary, recordRound } from './support/ledger-history';
import { LogFixture, openLogFixture, runVerifier, writeJson, writeText } from './support/log-fixture';

/** The verifier's command line and its optional checks, on SQLite. */
describe('salur-verify', () => {
  let fixture: LogFixture;

  beforeAll(async () => {
    fixture = await openLogFixture('sqlite');
  });

  afterAll(async () => {
    await fixture.close();
  });

  it('exits 2 with the usage on wrong arguments, 0 on --help', async () => {
    const noKey = await runVerifier(['proof.json']);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/^salur-verify: --vkey is required\nUsage:/);
    expect((await runVerifier(['proof.json', '--vkey', 'x+1+2', '--colour'])).stderr).toMatch(
      /unknown option --colour/,
    );
    expect((await runVerifier(['proof.json', '--vkey', 'not-a-key'])).stderr).toMatch(
      /--vkey is not <name>\+<key id>\+<key>/,
    );
    const help = await runVerifier(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage:/);
  });

  it('fails on a file that is not a proof', async () => {
    const run = await runVerifier([
      writeJson(fixture.directory, 'other.json', { hello: 1 }),
      '--vkey',
      fixture.key.verifier.vkey,
    ]);
    expect(run).toMatchObject({ code: 1, stderr: expect.stringMatching(/is not a Salur proof/) });
  });

  it('checks the pain.001 itself when given: its SHA-256, its ChrgBr and the payment’s InstdAmt', async () => {
    const round = await recordRound(fixture.store, [
      { beneficiaryId: beneficiary(1), amount: '600000.00', outcome: { credited: '600000.00' } },
      { beneficiaryId: beneficiary(2), amount: '250000.00', outcome: { credited: '250000.00' } },
    ]);
    await fixture.writer.catchUp(fixture.store);
    await fixture.checkpoints.signLatest();
    const proof = writeJson(fixture.directory, 'proof.json', await fixture.proofs.paymentProof(round.paymentIds[1]));
    const vkey = fixture.key.verifier.vkey;

    const genuine = await runVerifier([
      proof,
      '--vkey',
      vkey,
      '--bank-file',
      writeText(fixture.directory, 'bank.xml', round.bankFile),
    ]);
    expect(genuine.code).toBe(0);
    expect(genuine.stdout).toMatch(/instructed 250000.00 \(ChrgBr DEBT, pain.001 [0-9a-f]{12}…, file checked\)/);

    const edited = round.bankFile.replace('<InstdAmt Ccy="IDR">250000.00<', '<InstdAmt Ccy="IDR">240000.00<');
    const other = await runVerifier([
      proof,
      '--vkey',
      vkey,
      '--bank-file',
      writeText(fixture.directory, 'edited.xml', edited),
    ]);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(
      /^FAILED: .*edited.xml \(SHA-256 [0-9a-f]{64}\) is not the bank file of any payment in the proof$/,
    );
  });
});
