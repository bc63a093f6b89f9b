import { ProofDocument } from '@salur/audit-log';
import { appendNoise, beneficiary, recordRound } from './support/ledger-history';
import { LogFixture, openLogFixture, runVerifier, writeJson } from './support/log-fixture';

type StreamEntry = NonNullable<ProofDocument['streams']>[number];

/**
 * The offline verifier's reading of the stream-head map against the service's: a proof the
 * service builds from its tables verifies, and each way of bending a map proof is refused.
 */
describe('salur-verify and the stream-head map proofs', () => {
  let fixture: LogFixture;
  let document: ProofDocument;

  beforeAll(async () => {
    fixture = await openLogFixture('sqlite');
    // Other streams, so that the payment's leaf sits some levels down the map.
    await appendNoise(fixture.store, 60);
    const round = await recordRound(fixture.store, [
      { beneficiaryId: beneficiary(1), amount: '600000.00', outcome: { credited: '600000.00' } },
    ]);
    await fixture.writer.catchUp(fixture.store);
    await fixture.checkpoints.signLatest();
    document = await fixture.proofs.paymentProof(round.paymentIds[0]);
  });

  afterAll(async () => {
    await fixture.close();
  });

  const verify = (changed: ProofDocument) =>
    runVerifier([writeJson(fixture.directory, 'proof.json', changed), '--vkey', fixture.key.verifier.vkey]);

  /** The document with the first stream's map proof replaced. */
  const withFirstProof = (mapProof: unknown): ProofDocument => ({
    ...document,
    streams: (document.streams ?? []).map((entry, i) =>
      i === 0 ? ({ ...entry, mapProof } as unknown as StreamEntry) : entry,
    ),
  });
  const first = () => (document.streams ?? [])[0];

  it('accepts the proofs the service builds, each as deep as its sibling list', async () => {
    expect(document.streams?.length).toBeGreaterThanOrEqual(2);
    for (const entry of document.streams ?? []) expect(entry.mapProof.siblings).toHaveLength(entry.mapProof.depth);
    expect(first().mapProof.depth).toBeGreaterThan(1);
    const run = await verify(document);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/streams end at their signed heads/);
  });

  it('refuses a depth that is not the sibling count, or outside 0 … 256', async () => {
    const { depth, siblings } = first().mapProof;
    expect((await verify(withFirstProof({ depth: depth + 1, siblings }))).stderr).toMatch(
      /the map proof has depth \d+ but not as many siblings/,
    );
    expect((await verify(withFirstProof({ depth: 257, siblings }))).stderr).toMatch(
      /the map proof's depth is not a whole number from 0 to 256/,
    );
    expect((await verify(withFirstProof({ bitmap: 'AAAA', siblings }))).stderr).toMatch(/depth is not a whole number/);
  });

  it('refuses a leaf moved up a level, a changed sibling, and another stream’s proof', async () => {
    const { depth, siblings } = first().mapProof;
    const refused = /its map proof does not lead to the signed stream-head root/;
    expect((await verify(withFirstProof({ depth: depth - 1, siblings: siblings.slice(1) }))).stderr).toMatch(refused);
    const changed = Buffer.from(siblings[depth - 1], 'base64');
    changed[31] ^= 1;
    const flipped = [...siblings.slice(0, -1), changed.toString('base64')];
    expect((await verify(withFirstProof({ depth, siblings: flipped }))).stderr).toMatch(refused);
    const other = (document.streams ?? [])[1].mapProof;
    expect((await verify(withFirstProof(other))).stderr).toMatch(refused);
  });
});
