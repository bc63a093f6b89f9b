import {
  AuditLogFollower,
  AuditLogWriter,
  hashLeaf,
  leafBytesOf,
  MerkleLogStore,
  rootOfLeafHashes,
  UnloggableEventError,
  verifyConsistency,
  verifyInclusion,
} from '@salur/audit-log';
import type { RecordedEvent } from '@salur/event-store';
import { appendNoise, beneficiary, recordRound } from './support/ledger-history';
import { Dialect, LogFixture, openLogFixture, runVerifier, writeJson } from './support/log-fixture';

async function allEvents(fixture: LogFixture): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of fixture.store.readAll()) events.push(event);
  return events;
}

async function waitForSize(follower: AuditLogFollower, size: number): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    if ((follower.status().treeSize ?? 0) >= size) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`the follower did not reach ${size} leaves: ${JSON.stringify(follower.status())}`);
}

/** Scheduled payments at positions from `from` + 1 (the writer needs no store for appendEvents). */
function syntheticEvents(from: number, count: number): RecordedEvent[] {
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    return {
      id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      type: 'PaymentScheduled',
      streamName: `payment-${n}`,
      revision: 0,
      position: n + 1,
      recordedAt: '2026-11-05T08:00:00.000Z',
      data: { paymentId: String(n), beneficiaryId: `b-${n}`, amount: '600000.00', name: `SİTİ ${n}` },
      metadata: { schemaVersion: 1 },
    };
  });
}

/** The Merkle log against a real database: the same suite on SQLite and PostgreSQL. */
export function describeLogSuite(dialect: Dialect): void {
  describe(`the audit log on ${dialect}`, () => {
    let fixture: LogFixture;

    beforeEach(async () => {
      fixture = await openLogFixture(dialect);
    });

    afterEach(async () => {
      await fixture.close();
    });

    it('makes leaf n the n-th event of the global log, its bytes the RFC 8785 form of the record', async () => {
      await appendNoise(fixture.store, 3);
      await recordRound(fixture.store, [
        { beneficiaryId: beneficiary(1), amount: '600000.00', outcome: { credited: '600000.00' } },
        { beneficiaryId: beneficiary(2), amount: '300000.00', outcome: { rejected: 'AC04' } },
      ]);
      const state = await fixture.writer.catchUp(fixture.store);
      const events = await allEvents(fixture);
      expect(state).toEqual({ treeSize: events.length, position: events[events.length - 1].position });
      const leaves = await fixture.log.leavesFrom(0, 10_000);
      expect(leaves.map((leaf) => leaf.leafIndex)).toEqual(events.map((_, i) => i));
      leaves.forEach((leaf, i) => {
        expect(leaf.eventId).toBe(events[i].id);
        expect(leaf.leafBytes.equals(leafBytesOf(events[i]))).toBe(true);
        expect(leaf.leafHash.equals(hashLeaf(leaf.leafBytes))).toBe(true);
      });
      const expectedRoot = rootOfLeafHashes(leaves.map((leaf) => leaf.leafHash));
      expect((await fixture.log.root(events.length)).equals(expectedRoot)).toBe(true);
      // n − popcount(n) complete subtrees of level ≥ 1 are stored.
      const nodes = await fixture.db
        .selectFrom('auditLogNodes')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow();
      const ones = events.length.toString(2).replace(/0/g, '').length;
      expect(Number(nodes.count)).toBe(events.length - ones);
    });

    it('resumes from its committed state after a restart, and skips events it already logged', async () => {
      await recordRound(fixture.store, [{ beneficiaryId: beneficiary(1), amount: '600000.00', outcome: 'sent' }]);
      const first = await fixture.writer.catchUp(fixture.store);
      const restarted = new AuditLogWriter(new MerkleLogStore(fixture.db));
      expect(await restarted.appendEvents(await allEvents(fixture))).toEqual(first);
      await appendNoise(fixture.store, 5);
      const second = await restarted.catchUp(fixture.store);
      expect(second.treeSize).toBe(first.treeSize + 5);
      const leaves = await fixture.log.leavesFrom(0, 10_000);
      expect(
        (await fixture.log.root(second.treeSize)).equals(rootOfLeafHashes(leaves.map((leaf) => leaf.leafHash))),
      ).toBe(true);
    });

    it('logs each event once when another process appended meanwhile (compare-and-set on the state)', async () => {
      await appendNoise(fixture.store, 12);
      const other = new AuditLogWriter(new MerkleLogStore(fixture.openAnotherDatabase()));
      expect(await other.state()).toEqual({ treeSize: 0, position: -1 });
      await fixture.writer.catchUp(fixture.store);
      // `other` still believes the log is empty: its append must fail the compare-and-set, reload, skip.
      expect((await other.appendEvents(await allEvents(fixture))).treeSize).toBe(12);
      await appendNoise(fixture.store, 4);
      const fresh = (await allEvents(fixture)).slice(12);
      await other.appendEvents(fresh);
      expect((await fixture.writer.appendEvents(fresh)).treeSize).toBe(16);
      const leaves = await fixture.log.leavesFrom(0, 10_000);
      expect(leaves.map((leaf) => leaf.eventId)).toEqual((await allEvents(fixture)).map((event) => event.id));
    });

    it('writes a batch of thousands of leaves in one transaction: every row as a recomputation gives it', async () => {
      const events = syntheticEvents(0, 2_345);
      expect((await fixture.writer.appendEvents(events)).treeSize).toBe(2_345);
      const more = syntheticEvents(2_345, 700);
      expect((await fixture.writer.appendEvents(more)).treeSize).toBe(3_045);
      const all = [...events, ...more];
      const leaves = await fixture.log.leavesFrom(0, 10_000);
      expect(leaves.map((leaf) => leaf.eventId)).toEqual(all.map((event) => event.id));
      leaves.forEach((leaf, i) => {
        expect(leaf).toMatchObject({ leafIndex: i, position: all[i].position, stream: all[i].streamName });
        expect(leaf.leafBytes.equals(leafBytesOf(all[i]))).toBe(true);
        expect(leaf.leafHash.equals(hashLeaf(leafBytesOf(all[i])))).toBe(true);
      });
      const root = rootOfLeafHashes(leaves.map((leaf) => leaf.leafHash));
      expect((await fixture.log.root(3_045)).equals(root)).toBe(true);
      const sampled = [0, 1, 1_999, 2_344, 2_345, 3_044];
      const paths = await fixture.log.inclusionProofs(sampled, 3_045);
      for (const index of sampled) {
        expect(() => verifyInclusion(index, 3_045, leaves[index].leafHash, paths.get(index) ?? [], root)).not.toThrow();
      }
      const subject = `beneficiary:${String(all[2_000].data.beneficiaryId)}`;
      expect(await fixture.log.streamsOfSubject(subject, 3_045, 10)).toEqual([all[2_000].streamName]);
    });

    if (dialect === 'postgres') {
      // One SQLite file cannot take two writers in one thread (better-sqlite3 waits synchronously).
      it('logs each event once when two writers append concurrently', async () => {
        await appendNoise(fixture.store, 40);
        const events = await allEvents(fixture);
        const other = new AuditLogWriter(new MerkleLogStore(fixture.openAnotherDatabase()));
        await Promise.all([
          (async () => {
            for (let i = 0; i < events.length; i += 7) await fixture.writer.appendEvents(events.slice(i, i + 7));
          })(),
          (async () => {
            for (let i = 0; i < events.length; i += 5) await other.appendEvents(events.slice(i, i + 5));
          })(),
        ]);
        const leaves = await fixture.log.leavesFrom(0, 10_000);
        expect(leaves.map((leaf) => leaf.eventId)).toEqual(events.map((event) => event.id));
        expect(
          (await fixture.log.root(events.length)).equals(rootOfLeafHashes(leaves.map((leaf) => leaf.leafHash))),
        ).toBe(true);
      });
    }

    it('follows the catch-up subscription: past events, then live ones', async () => {
      await appendNoise(fixture.store, 10);
      const follower = new AuditLogFollower(fixture.store, fixture.writer);
      follower.start();
      try {
        await waitForSize(follower, 10);
        await appendNoise(fixture.store, 3);
        await waitForSize(follower, 13);
        expect(follower.status()).toMatchObject({ state: 'running', treeSize: 13 });
      } finally {
        await follower.stop();
      }
    });

    it('serves inclusion and consistency proofs that verify against its signed checkpoints', async () => {
      await appendNoise(fixture.store, 21);
      await fixture.writer.catchUp(fixture.store);
      const older = await fixture.checkpoints.signLatest();
      await appendNoise(fixture.store, 18);
      await fixture.writer.catchUp(fixture.store);
      const newer = await fixture.checkpoints.signLatest();
      expect([older.treeSize, newer.treeSize]).toEqual([21, 39]);
      const leaves = await fixture.log.leavesFrom(0, 100);
      const paths = await fixture.log.inclusionProofs(
        leaves.map((leaf) => leaf.leafIndex),
        newer.treeSize,
      );
      for (const leaf of leaves)
        verifyInclusion(leaf.leafIndex, newer.treeSize, leaf.leafHash, paths.get(leaf.leafIndex) ?? [], newer.rootHash);
      verifyConsistency(21, 39, await fixture.log.consistencyProof(21, 39), older.rootHash, newer.rootHash);
      expect(await fixture.checkpoints.signLatest()).toEqual(newer);
      expect((await fixture.checkpoints.latest())?.treeSize).toBe(39);
    });

    it('stops at an event it cannot log faithfully, and logs nothing of its batch', async () => {
      await appendNoise(fixture.store, 2);
      await fixture.store.append('programme-x', [
        { id: crypto.randomUUID(), type: 'BudgetTweaked', data: { ratio: 0.5 } },
      ]);
      await expect(fixture.writer.catchUp(fixture.store)).rejects.toThrow(UnloggableEventError);
      await expect(fixture.writer.catchUp(fixture.store)).rejects.toThrow('$.data.ratio: 0.5 is not an integer');
      expect((await fixture.log.state()).treeSize).toBe(0);
    });

    it('builds payment, beneficiary and batch proofs that the offline verifier accepts', async () => {
      const round = await recordRound(fixture.store, [
        { beneficiaryId: beneficiary(1), amount: '600000.00', outcome: { credited: '600000.00' } },
        { beneficiaryId: beneficiary(2), amount: '600000.00', outcome: { credited: '575000.00' } },
        { beneficiaryId: beneficiary(3), amount: '300000.00', outcome: { rejected: 'AC01' } },
      ]);
      await fixture.writer.catchUp(fixture.store);
      await fixture.checkpoints.signLatest();
      const vkey = fixture.key.verifier.vkey;

      const full = await fixture.proofs.paymentProof(round.paymentIds[0]);
      expect(full.payments[0].summary).toMatchObject({
        verdict: 'full-amount',
        instructedAmount: '600000.00',
        chargeBearer: 'DEBT',
      });
      const ok = await runVerifier([writeJson(fixture.directory, 'full.json', full), '--vkey', vkey]);
      expect(ok).toMatchObject({ code: 0, stderr: '' });
      expect(ok.stdout).toMatch(
        new RegExp(
          `^OK payment ${round.paymentIds[0]}: full-amount: approved 600000.00, instructed 600000.00 \\(ChrgBr DEBT`,
        ),
      );

      const short = await fixture.proofs.paymentProof(round.paymentIds[1]);
      const deduction = await runVerifier([writeJson(fixture.directory, 'short.json', short), '--vkey', vkey]);
      expect(deduction.code).toBe(3);
      expect(deduction.stdout).toMatch(
        /^VERIFIED payment .*: deduction: credited 575000.00 of the approved 600000.00: 25000.00 deducted/,
      );

      const batch = await fixture.proofs.batchProof(round.batchId);
      expect(batch.payments.map((payment) => payment.summary?.verdict).sort()).toEqual([
        'deduction',
        'full-amount',
        'not-credited',
      ]);
      const batchRun = await runVerifier([writeJson(fixture.directory, 'batch.json', batch), '--vkey', vkey]);
      expect(batchRun.code).toBe(3);
      expect(batchRun.stdout).toMatch(/^VERIFIED batch .*: 1 of 3 payments full-amount/);

      const person = await fixture.proofs.beneficiaryProof(beneficiary(1));
      const personRun = await runVerifier([writeJson(fixture.directory, 'person.json', person), '--vkey', vkey]);
      expect(personRun).toMatchObject({ code: 0 });
      expect(personRun.stdout).toMatch(/^OK beneficiary .*: all 1 payments full-amount/);
    });
  });
}
