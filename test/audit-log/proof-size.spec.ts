import { beneficiary, recordRound } from './support/ledger-history';
import { openLogFixture, runVerifier, writeJson } from './support/log-fixture';

/** A national batch's maximum (BATCH_MAX_PAYMENTS). */
const LINES = 5_000;

/**
 * What a payment proof weighs in a full batch: with the whole line list in the batch's leaf (the
 * first content format) it grows with the batch; with the lines as a Merkle tree (salur-batch/v2)
 * it carries one line and ~log2(5,000) = 13 hashes.
 */
describe('the size of a payment proof in a 5,000-line batch', () => {
  it('is bounded by log(batch) with salur-batch/v2, where the first format carried the whole batch', async () => {
    const fixture = await openLogFixture('sqlite');
    try {
      const bytes: Record<string, number> = {};
      for (const [n, batchFormat] of [
        [1, 'v1'],
        [2, 'v2'],
      ] as const) {
        const round = await recordRound(
          fixture.store,
          [{ beneficiaryId: beneficiary(n), amount: '600000.00', outcome: { credited: '600000.00' } }],
          { batchFormat, otherLines: LINES - 1, period: `2026-0${n}`, approverIds: ['fo-3', 'fo-4'] },
        );
        await fixture.writer.catchUp(fixture.store);
        await fixture.checkpoints.signLatest();
        const document = await fixture.proofs.paymentProof(round.paymentIds[0]);
        const run = await runVerifier([
          writeJson(fixture.directory, `proof-${batchFormat}.json`, document),
          '--vkey',
          fixture.key.verifier.vkey,
        ]);
        expect(run).toMatchObject({ code: 0, stderr: '' });
        bytes[batchFormat] = Buffer.byteLength(JSON.stringify(document));
      }
      process.stdout.write(
        `payment proof in a ${LINES}-line batch: first format ${bytes.v1} bytes, salur-batch/v2 ${bytes.v2} bytes\n`,
      );
      expect(bytes.v1).toBeGreaterThan(300_000);
      expect(bytes.v2).toBeLessThan(30_000);
    } finally {
      await fixture.close();
    }
  }, 600_000);
});
