import { sql } from 'kysely';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AuditLogWriter,
  BatchLineProof,
  decodeLeaf,
  EMPTY_MAP_ROOT,
  exportAuditLog,
  generateNoteKey,
  hashLeaf,
  LogIntegrityError,
  MerkleAppender,
  MerkleLogStore,
  parseSignedNote,
  parseSignerKey,
  ProofDocument,
  signCheckpoint,
  signNote,
  parseCheckpointText,
  formatSignedNote,
} from '@salur/audit-log';
import {
  ACCOUNT,
  appendNoise,
  beneficiary,
  changeAccount,
  recordReturn,
  recordRound,
  reissuePayment,
} from './support/ledger-history';
import { Dialect, LogFixture, openLogFixture, ORIGIN, runVerifier, writeJson, writeText } from './support/log-fixture';

interface Scene {
  readonly fullPaymentId: string;
  readonly fullBatchId: string;
  readonly shortPaymentId: string;
  /** The checkpoint the inspector saved after the first round, as a file. */
  readonly savedCheckpoint: string;
  readonly savedSize: number;
  readonly vkey: string;
}

/**
 * A ledger with a full-amount payment and a short-credited one (575,000 of 600,000), a signed
 * checkpoint the inspector saved, then more rounds and a later checkpoint.
 */
async function stage(fixture: LogFixture): Promise<Scene> {
  await appendNoise(fixture.store, 2);
  const first = await recordRound(fixture.store, [
    { beneficiaryId: beneficiary(1), amount: '600000.00', outcome: { credited: '600000.00' } },
    { beneficiaryId: beneficiary(2), amount: '600000.00', outcome: { credited: '575000.00' } },
  ]);
  await fixture.writer.catchUp(fixture.store);
  const saved = await fixture.checkpoints.signLatest();
  await recordRound(fixture.store, [
    { beneficiaryId: beneficiary(3), amount: '300000.00', outcome: { credited: '300000.00' } },
  ]);
  await fixture.writer.catchUp(fixture.store);
  await fixture.checkpoints.signLatest();
  return {
    fullPaymentId: first.paymentIds[0],
    fullBatchId: first.batchId,
    shortPaymentId: first.paymentIds[1],
    savedCheckpoint: writeText(fixture.directory, 'saved-checkpoint.txt', saved.note),
    savedSize: saved.treeSize,
    vkey: fixture.key.verifier.vkey,
  };
}

const leafOf = (document: ProofDocument, type: string) => {
  const event = document.events.find((candidate) => candidate.type === type);
  if (!event) throw new Error(`no ${type} in the proof`);
  return event;
};

const editBytes = (base64: string, edit: (text: string) => string) =>
  Buffer.from(edit(Buffer.from(base64, 'base64').toString('utf8'))).toString('base64');

const hideDeduction = (text: string) =>
  text
    .replace('"creditedAmount":"575000.00"', '"creditedAmount":"600000.00"')
    .replace('"deductedAmount":"25000.00"', '"deductedAmount":"0.00"');

async function leafIndexOf(fixture: LogFixture, stream: string, type: string): Promise<number> {
  const row = await fixture.db
    .selectFrom('auditLogLeaves')
    .select('leafIndex')
    .where('stream', '=', stream)
    .where('eventType', '=', type)
    .executeTakeFirstOrThrow();
  return Number(row.leafIndex);
}

/** What an intruder with the database but without the key can do best: recompute every stored hash. */
async function rehashWholeTree(fixture: LogFixture): Promise<void> {
  const leaves = await fixture.log.leavesFrom(0, 100_000);
  const appender = MerkleAppender.empty();
  await sql`DELETE FROM audit_log_nodes`.execute(fixture.db);
  for (const leaf of leaves) {
    const leafHash = hashLeaf(leaf.leafBytes);
    await sql`UPDATE audit_log_leaves SET leaf_hash = ${leafHash} WHERE leaf_index = ${leaf.leafIndex}`.execute(
      fixture.db,
    );
    for (const node of appender.append(leafHash)) {
      await fixture.db
        .insertInto('auditLogNodes')
        .values({ level: node.level, nodeIndex: node.index, hash: node.hash })
        .execute();
    }
  }
}

/** Throws away the log's tables from `keep` leaves on, as a truncation would. */
async function truncateLog(fixture: LogFixture, keep: number): Promise<void> {
  const last = await fixture.db
    .selectFrom('auditLogLeaves')
    .select('position')
    .where('leafIndex', '=', keep - 1)
    .executeTakeFirstOrThrow();
  await sql`DELETE FROM audit_log_leaves WHERE leaf_index >= ${keep}`.execute(fixture.db);
  await sql`DELETE FROM audit_log_subjects WHERE leaf_index >= ${keep}`.execute(fixture.db);
  await sql`DELETE FROM audit_log_nodes`.execute(fixture.db);
  const appender = MerkleAppender.empty();
  for (const leaf of await fixture.log.leavesFrom(0, keep)) {
    for (const node of appender.append(leaf.leafHash)) {
      await fixture.db
        .insertInto('auditLogNodes')
        .values({ level: node.level, nodeIndex: node.index, hash: node.hash })
        .execute();
    }
  }
  await sql`UPDATE audit_log_state SET tree_size = ${keep}, position = ${Number(last.position)}`.execute(fixture.db);
}

/** The intruder who rewrites the log also empties the stream-head map, so the log signs again. */
async function resetStreamHeadMap(fixture: LogFixture): Promise<void> {
  await sql`DELETE FROM audit_log_map_leaves`.execute(fixture.db);
  await sql`DELETE FROM audit_log_map_nodes`.execute(fixture.db);
  await sql`UPDATE audit_log_map_state SET tree_size = 0, root_hash = ${EMPTY_MAP_ROOT}`.execute(fixture.db);
}

/**
 * Every tampering the issue lists, each caught by the offline verifier with its reason; the
 * same suite on SQLite and PostgreSQL.
 */
export function describeTamperingSuite(dialect: Dialect): void {
  describe(`tampering with the audit log on ${dialect}`, () => {
    let fixture: LogFixture;
    let scene: Scene;

    beforeEach(async () => {
      fixture = await openLogFixture(dialect);
      scene = await stage(fixture);
    });

    afterEach(async () => {
      await fixture.close();
    });

    const verify = async (document: ProofDocument, ...extra: string[]) =>
      runVerifier([writeJson(fixture.directory, 'proof.json', document), '--vkey', scene.vkey, ...extra]);

    it('untouched, the proof verifies and extends the checkpoint the inspector saved', async () => {
      const document = await fixture.proofs.paymentProof(scene.fullPaymentId, { since: scene.savedSize });
      const run = await verify(document, '--checkpoint', scene.savedCheckpoint);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toMatch(
        /^OK payment .*: full-amount: .* at size \d+ as of 20\d\d-.*Z, consistent with your checkpoint saved-checkpoint.txt; streams end at their signed heads, four eyes checked, accounts checked against the beneficiary’s record$/,
      );
    });

    it('one byte of a stored event changed in the database: the leaf no longer leads to the signed root', async () => {
      const index = await leafIndexOf(fixture, `payment-${scene.fullPaymentId}`, 'PaymentScheduled');
      const [leaf] = await fixture.log.leavesFrom(index, 1);
      const bytes = Buffer.from(leaf.leafBytes);
      const at = bytes.indexOf('"correlationId":"') + '"correlationId":"'.length;
      bytes[at] = bytes[at] === 0x61 ? 0x62 : 0x61; // one hex digit of an id: still valid, canonical JSON
      await sql`UPDATE audit_log_leaves SET leaf_bytes = ${bytes} WHERE leaf_index = ${index}`.execute(fixture.db);
      const run = await verify(await fixture.proofs.paymentProof(scene.fullPaymentId));
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `FAILED: leaf ${index}: its inclusion path does not lead to the signed root of size ${(await fixture.checkpoints.latest())?.treeSize} (the event's bytes or its path were altered)`,
      );
    });

    it('an amount changed in the database with every hash recomputed: the root is not the signed one, and the log refuses to sign', async () => {
      for (const type of ['PaymentCredited', 'PaymentDeductionFlagged']) {
        const index = await leafIndexOf(fixture, `payment-${scene.shortPaymentId}`, type);
        const [leaf] = await fixture.log.leavesFrom(index, 1);
        const forged = Buffer.from(hideDeduction(leaf.leafBytes.toString('utf8')));
        await sql`UPDATE audit_log_leaves SET leaf_bytes = ${forged} WHERE leaf_index = ${index}`.execute(fixture.db);
      }
      await rehashWholeTree(fixture);
      const document = await fixture.proofs.paymentProof(scene.shortPaymentId);
      expect(document.payments[0].summary?.verdict).toBe('full-amount'); // the service is fooled…
      const run = await verify(document);
      expect(run.code).toBe(1); // …the inspector is not
      expect(run.stderr).toMatch(/^FAILED: leaf \d+: its inclusion path does not lead to the signed root/);
      await appendNoise(fixture.store, 1);
      await new AuditLogWriter(new MerkleLogStore(fixture.db)).catchUp(fixture.store);
      await expect(fixture.checkpoints.signLatest()).rejects.toThrow(LogIntegrityError);
      await expect(fixture.checkpoints.signLatest()).rejects.toThrow(/no longer hash to the signed checkpoint/);
    });

    it('an amount changed in the proof document: in the leaf bytes, or in the summary alone', async () => {
      const document = await fixture.proofs.paymentProof(scene.shortPaymentId);
      const credit = leafOf(document, 'PaymentCredited');
      const inBytes = structuredClone(document) as { -readonly [K in keyof ProofDocument]: ProofDocument[K] };
      inBytes.events = document.events.map((event) =>
        event === credit ? { ...event, leafBytes: editBytes(event.leafBytes, hideDeduction) } : event,
      );
      const bytesRun = await verify(inBytes);
      expect(bytesRun.code).toBe(1);
      expect(bytesRun.stderr).toMatch(
        new RegExp(`^FAILED: leaf ${credit.leafIndex}: its inclusion path does not lead to the signed root`),
      );

      const inSummary = structuredClone(document) as unknown as {
        payments: Array<{ summary: Record<string, unknown> }>;
      };
      Object.assign(inSummary.payments[0].summary, {
        creditedAmount: '600000.00',
        deductedAmount: '0.00',
        verdict: 'full-amount',
        discrepancies: [],
      });
      const summaryRun = await verify(inSummary as unknown as ProofDocument);
      expect(summaryRun.code).toBe(1);
      expect(summaryRun.stderr).toBe(
        `FAILED: payment ${scene.shortPaymentId}: the document says creditedAmount 600000.00, the events say 575000.00`,
      );
    });

    it('an event dropped, from the document or from the database: the chain has a gap', async () => {
      const document = await fixture.proofs.paymentProof(scene.fullPaymentId);
      const sent = leafOf(document, 'PaymentSentToBank');
      const dropped = {
        ...document,
        events: document.events.filter((event) => event !== sent),
        payments: [
          {
            ...document.payments[0],
            leafIndexes: document.payments[0].leafIndexes.filter((index) => index !== sent.leafIndex),
          },
        ],
      };
      const run = await verify(dropped);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        new RegExp(
          `^FAILED: payment ${scene.fullPaymentId}: payment-${scene.fullPaymentId}: expected revision 2 at leaf \\d+, found revision 3: an event is missing or out of order$`,
        ),
      );

      await sql`DELETE FROM audit_log_leaves WHERE leaf_index = ${sent.leafIndex}`.execute(fixture.db);
      const served = await fixture.proofs.paymentProof(scene.fullPaymentId);
      expect(served.payments[0].chainError).toMatch(/expected revision 2/);
      const servedRun = await verify(served);
      expect(servedRun.code).toBe(1);
      expect(servedRun.stderr).toMatch(
        /expected revision 2 at leaf \d+, found revision 3: an event is missing or out of order/,
      );
    });

    it('two events reordered, in the document or in the database', async () => {
      const document = await fixture.proofs.paymentProof(scene.fullPaymentId);
      const indexes = [...document.payments[0].leafIndexes];
      [indexes[2], indexes[3]] = [indexes[3], indexes[2]];
      const run = await verify({ ...document, payments: [{ ...document.payments[0], leafIndexes: indexes }] });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/the history is not in log order: leaf \d+ is listed after leaf \d+/);

      const [a, b] = [document.events[2], document.events[3]].map((event) => event.leafIndex);
      const [first] = await fixture.log.leavesFrom(a, 1);
      const [second] = await fixture.log.leavesFrom(b, 1);
      await sql`UPDATE audit_log_leaves SET leaf_bytes = ${second.leafBytes}, leaf_hash = ${second.leafHash} WHERE leaf_index = ${a}`.execute(
        fixture.db,
      );
      await sql`UPDATE audit_log_leaves SET leaf_bytes = ${first.leafBytes}, leaf_hash = ${first.leafHash} WHERE leaf_index = ${b}`.execute(
        fixture.db,
      );
      const servedRun = await verify(await fixture.proofs.paymentProof(scene.fullPaymentId));
      expect(servedRun.code).toBe(1);
      // Leaf hashes are the bottom of every path: the swap breaks the paths of both and of their neighbours.
      expect(servedRun.stderr).toMatch(/^FAILED: leaf \d+: its inclusion path does not lead to the signed root/);
    });

    it('a checkpoint forged with another key, under the log’s name or with the log’s key id', async () => {
      const document = await fixture.proofs.paymentProof(scene.fullPaymentId);
      const impostor = parseSignerKey(generateNoteKey(ORIGIN).signerKey);
      const checkpoint = parseCheckpointText(parseSignedNote(document.checkpoint).text);
      const forged = signCheckpoint(checkpoint, impostor);
      const run = await verify({ ...document, checkpoint: forged });
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `FAILED: the checkpoint: no signature by ${ORIGIN}+${fixture.key.keyId.toString('hex')}; it is signed by ${ORIGIN} (forged, or another log)`,
      );

      const text = parseSignedNote(document.checkpoint).text;
      const stolenId = signNote(text, impostor);
      const line = `— ${ORIGIN} ${Buffer.concat([fixture.key.keyId, stolenId.signature]).toString('base64')}`;
      const withStolenId = formatSignedNote({ text, signatures: [{ ...stolenId, keyId: fixture.key.keyId, line }] });
      const idRun = await verify({ ...document, checkpoint: withStolenId });
      expect(idRun.code).toBe(1);
      expect(idRun.stderr).toBe(
        `FAILED: the checkpoint: the signature by ${ORIGIN}+${fixture.key.keyId.toString('hex')} does not verify (forged or altered)`,
      );
    });

    it('history rewritten at the source (a byte of a stored event changed), the log truncated and regrown, and re-signed with the real key', async () => {
      // The intruder holds the database and the signing key: the rewritten log is internally
      // perfect. Only a checkpoint the inspector kept from before can tell.
      const creditIndex = await leafIndexOf(fixture, `payment-${scene.shortPaymentId}`, 'PaymentCredited');
      const changed = await fixture.eventsSql(
        `UPDATE events SET data = replace(replace(data, '"creditedAmount":"575000.00"', '"creditedAmount":"600000.00"'), '"deductedAmount":"25000.00"', '"deductedAmount":"0.00"') WHERE stream_name = ? AND type = 'PaymentCredited'`,
        [`payment-${scene.shortPaymentId}`],
      );
      expect(changed).toBe(1);
      // The ledger's own alarm goes too: it is the stream's last event, so no revision gap shows.
      await fixture.eventsSql(`DELETE FROM events WHERE stream_name = ? AND type = 'PaymentDeductionFlagged'`, [
        `payment-${scene.shortPaymentId}`,
      ]);
      await sql`DELETE FROM audit_log_cosignatures`.execute(fixture.db);
      await sql`DELETE FROM audit_log_checkpoints`.execute(fixture.db);
      await resetStreamHeadMap(fixture);
      await truncateLog(fixture, creditIndex);
      await new AuditLogWriter(new MerkleLogStore(fixture.db)).catchUp(fixture.store);
      await fixture.checkpoints.signLatest();

      const rewritten = await fixture.proofs.paymentProof(scene.shortPaymentId, { since: scene.savedSize });
      expect(rewritten.payments[0].summary?.verdict).toBe('full-amount');
      // Without a saved checkpoint the rewritten history looks clean: keep checkpoints, or use witnesses.
      expect((await verify(rewritten)).code).toBe(0);
      const run = await verify(rewritten, '--checkpoint', scene.savedCheckpoint);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /^FAILED: the log was rewritten: the checkpoint of size \d+ does not extend the checkpoint of size \d+$/,
      );
      const { consistency: _, ...withoutConsistency } = rewritten;
      const noProof = await verify(withoutConsistency, '--checkpoint', scene.savedCheckpoint);
      expect(noProof.stderr).toBe(
        `FAILED: no consistency proof from size ${scene.savedSize} to ${rewritten.consistency?.toSize}: ask for the proof with ?since=${scene.savedSize}, or pass --consistency`,
      );
    });

    describe('a leaf edited after it was appended and before the next checkpoint', () => {
      let signedBefore: number;
      let creditIndex: number;
      let roundPaymentId: string;

      beforeEach(async () => {
        signedBefore = (await fixture.checkpoints.latest())?.treeSize ?? 0;
        const round = await recordRound(fixture.store, [
          { beneficiaryId: beneficiary(4), amount: '600000.00', outcome: { credited: '575000.00' } },
        ]);
        roundPaymentId = round.paymentIds[0];
        await fixture.writer.catchUp(fixture.store);
        creditIndex = await leafIndexOf(fixture, `payment-${roundPaymentId}`, 'PaymentCredited');
        expect(creditIndex).toBeGreaterThanOrEqual(signedBefore);
      });

      const nothingSigned = async () => {
        expect((await fixture.checkpoints.latest())?.treeSize).toBe(signedBefore);
        const { treeSize } = await fixture.log.state();
        expect(await fixture.checkpoints.at(treeSize)).toBeUndefined();
      };

      it('its bytes alone: the log refuses to sign, naming the leaf, and signs nothing', async () => {
        const [leaf] = await fixture.log.leavesFrom(creditIndex, 1);
        const forged = Buffer.from(hideDeduction(leaf.leafBytes.toString('utf8')));
        await sql`UPDATE audit_log_leaves SET leaf_bytes = ${forged} WHERE leaf_index = ${creditIndex}`.execute(
          fixture.db,
        );
        const refusal = fixture.checkpoints.signLatest();
        await expect(refusal).rejects.toThrow(LogIntegrityError);
        await expect(refusal).rejects.toThrow(
          `The audit log's leaf ${creditIndex} (event ${leaf.eventId}, payment-${roundPaymentId} revision ${leaf.revision}): ` +
            'its bytes no longer hash to its stored leaf hash: it was altered after it was appended. Refusing to sign.',
        );
        await nothingSigned();
      });

      it('its bytes and its leaf hash, the nodes left alone: the leaves do not give the root about to be signed', async () => {
        const [leaf] = await fixture.log.leavesFrom(creditIndex, 1);
        const forged = Buffer.from(hideDeduction(leaf.leafBytes.toString('utf8')));
        await sql`UPDATE audit_log_leaves SET leaf_bytes = ${forged}, leaf_hash = ${hashLeaf(forged)} WHERE leaf_index = ${creditIndex}`.execute(
          fixture.db,
        );
        await expect(fixture.checkpoints.signLatest()).rejects.toThrow(
          new RegExp(
            `^The audit log's leaves ${signedBefore}\\.\\.\\d+, hashed from their bytes, give the root \\S+ at size \\d+, not \\S+ as its stored nodes do`,
          ),
        );
        await nothingSigned();
      });

      it('a leaf row deleted: the log refuses to sign a tree with a hole', async () => {
        await sql`DELETE FROM audit_log_leaves WHERE leaf_index = ${creditIndex}`.execute(fixture.db);
        await expect(fixture.checkpoints.signLatest()).rejects.toThrow(
          new RegExp(`leaf ${creditIndex} is not stored: its tables were truncated or altered`),
        );
        await nothingSigned();
      });

      it('untouched: it is signed', async () => {
        const signed = await fixture.checkpoints.signLatest();
        expect(signed.treeSize).toBe((await fixture.log.state()).treeSize);
      });
    });

    it('a log truncated in the database: the log refuses to sign a shorter view', async () => {
      await truncateLog(fixture, scene.savedSize - 3);
      await expect(fixture.checkpoints.signLatest()).rejects.toThrow(
        /holds \d+ leaves but a checkpoint of size \d+ was signed: the log was truncated/,
      );
    });

    it('the exported full log: every root recomputed; a changed or a dropped leaf is found', async () => {
      const directory = join(fixture.directory, 'export');
      mkdirSync(directory);
      expect(await exportAuditLog(fixture.log, fixture.checkpoints, directory)).toMatchObject({
        checkpoints: 2,
        missingLeaves: [],
      });
      const clean = await runVerifier(['log', directory, '--vkey', scene.vkey, '--payments']);
      expect(clean.code).toBe(3); // authentic, and it shows the short credit wherever it is
      expect(clean.stdout).toMatch(
        /^OK log salur.example\/ledger: \d+ leaves; the roots of 2 signed checkpoints .* payments: 2 full-amount, 1 deduction; look at: .* deduction$/,
      );
      expect((await runVerifier(['log', directory, '--vkey', scene.vkey])).code).toBe(0);

      // The v2 batches' lines beside the leaves: a line's amount changed no longer gives its leaf's root and total.
      const linesFile = join(directory, 'batch-lines.jsonl');
      const exportedLines = readFileSync(linesFile, 'utf8');
      writeFileSync(
        linesFile,
        exportedLines.replace('"575000.00"', '"575000.01"').replace('"600000.00"', '"650000.00"'),
      );
      const altered = await runVerifier(['log', directory, '--vkey', scene.vkey, '--payments']);
      expect(altered.code).toBe(1);
      expect(altered.stderr).toMatch(
        /^FAILED: the lines exported for batch-.* \(leaf \d+\) give root [0-9a-f]{64}, 2 lines for 1250000.00; the leaf says [0-9a-f]{64}, 2 for 1200000.00$/,
      );
      writeFileSync(linesFile, exportedLines);

      const file = join(directory, 'leaves.jsonl');
      const lines = readFileSync(file, 'utf8').split('\n');
      const credit = lines.findIndex((line) => line.includes('"creditedAmount":"575000.00"'));
      writeFileSync(file, lines.map((line, i) => (i === credit ? hideDeduction(line) : line)).join('\n'));
      const changed = await runVerifier(['log', directory, '--vkey', scene.vkey]);
      expect(changed).toMatchObject({ code: 1 });
      expect(changed.stderr).toMatch(
        /^FAILED: the \d+ first leaves do not hash to the signed root of size \d+: the log was altered$/,
      );

      writeFileSync(file, lines.filter((_, i) => i !== credit).join('\n'));
      const dropped = await runVerifier(['log', directory, '--vkey', scene.vkey]);
      expect(dropped.code).toBe(1);
      expect(dropped.stderr).toMatch(
        /revision \d+ where \d+ was due: an event is missing or out of order|do not hash to the signed root/,
      );
    });

    it('a later return left out of the proof, the "full" summary kept: refused, the stream stops before its signed head', async () => {
      const before = await fixture.proofs.paymentProof(scene.fullPaymentId);
      await recordReturn(fixture.store, scene.fullPaymentId, scene.fullBatchId, '600000.00');
      await fixture.writer.catchUp(fixture.store);
      await fixture.checkpoints.signLatest();
      const document = await fixture.proofs.paymentProof(scene.fullPaymentId);
      expect(document.payments[0].summary?.verdict).toBe('not-credited');
      const returned = leafOf(document, 'PaymentReturned');
      const withoutReturn = {
        ...document,
        events: document.events.filter((event) => event !== returned),
        payments: [
          {
            ...document.payments[0],
            leafIndexes: document.payments[0].leafIndexes.filter((index) => index !== returned.leafIndex),
            summary: before.payments[0].summary,
          },
        ],
      };
      const run = await verify(withoutReturn);
      expect(run.code).toBe(1);
      const head = document.streams?.find((entry) => entry.stream === `payment-${scene.fullPaymentId}`);
      expect(run.stderr).toBe(
        `FAILED: payment ${scene.fullPaymentId}: payment-${scene.fullPaymentId}: the proof stops at revision ${(head?.revision ?? 0) - 1} (leaf ${before.payments[0].leafIndexes.at(-1)}) but the stream's head at the checkpoint is revision ${head?.revision} (leaf ${returned.leafIndex}): later events are left out`,
      );
      // Claiming the older head instead: its map proof no longer leads to the signed root.
      const olderHead = {
        ...withoutReturn,
        streams: document.streams?.map((entry) =>
          entry === head
            ? { ...entry, revision: entry.revision - 1, leafIndex: before.payments[0].leafIndexes.at(-1) ?? 0 }
            : entry,
        ),
      };
      const headRun = await verify(olderHead);
      expect(headRun.code).toBe(1);
      expect(headRun.stderr).toMatch(/its map proof does not lead to the signed stream-head root/);
    });

    it('a proof against a checkpoint older than the one the inspector saved: refused, fetch a fresh proof', async () => {
      const stale = await fixture.proofs.paymentProof(scene.fullPaymentId);
      const staleSize = (await fixture.checkpoints.latest())?.treeSize ?? 0;
      await recordReturn(fixture.store, scene.fullPaymentId, scene.fullBatchId, '600000.00');
      await fixture.writer.catchUp(fixture.store);
      const newer = await fixture.checkpoints.signLatest();
      const saved = writeText(fixture.directory, 'newer.txt', newer.note);
      const consistency = writeJson(fixture.directory, 'c.json', {
        fromSize: staleSize,
        toSize: newer.treeSize,
        proof: (await fixture.log.consistencyProof(staleSize, newer.treeSize)).map((hash) => hash.toString('base64')),
      });
      const run = await verify(stale, '--checkpoint', saved, '--consistency', consistency);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `FAILED: the proof's checkpoint (size ${staleSize}) is older than your saved checkpoint (size ${newer.treeSize}): it may leave out what was logged since; fetch a fresh proof`,
      );
      const fresh = await verify(await fixture.proofs.paymentProof(scene.fullPaymentId), '--checkpoint', saved);
      expect(fresh.code).toBe(3); // fresh, and it shows the return
      expect(fresh.stdout).toMatch(/^VERIFIED payment .*: not-credited: the payment is returned, not credited/);
    });

    it('a checkpoint signed with the log’s key under another origin: refused; --origin names the expected one', async () => {
      const document = await fixture.proofs.paymentProof(scene.fullPaymentId);
      const checkpoint = parseCheckpointText(parseSignedNote(document.checkpoint).text);
      const foreign = signCheckpoint({ ...checkpoint, origin: 'other.example/log' }, fixture.key);
      const run = await verify({ ...document, checkpoint: foreign });
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `FAILED: the checkpoint is of origin 'other.example/log', not '${ORIGIN}': it speaks for another log`,
      );
      const expected = await verify(document, '--origin', 'salur.example/other-ledger');
      expect(expected.stderr).toMatch(/is of origin 'salur.example\/ledger', not 'salur.example\/other-ledger'/);
    });

    it('a batch approved by nobody, by its maker, or twice by one person: a discrepancy, never full-amount', async () => {
      const cases: Array<[readonly string[], string, RegExp]> = [
        [[], '600000.00', /bank file was written with no approval of its content [0-9a-f]{64}/],
        [
          [' FO-2 '],
          '600000.00',
          /approver fo-2 is the batch's maker; batch .* needs 1 distinct approvers .* it has 0/,
        ],
        [
          ['fo-3', 'FO-3'],
          '600000000.00',
          /approver fo-3 is counted twice; batch .* \(total 600000000.00\) needs 2 distinct approvers .* it has 1/,
        ],
      ];
      for (const [approverIds, amount, reason] of cases) {
        const round = await recordRound(
          fixture.store,
          [{ beneficiaryId: beneficiary(7), amount, outcome: { credited: amount } }],
          { approverIds, period: `2026-0${cases.findIndex(([ids]) => ids === approverIds) + 1}` },
        );
        await fixture.writer.catchUp(fixture.store);
        await fixture.checkpoints.signLatest();
        const document = await fixture.proofs.paymentProof(round.paymentIds[0]);
        expect(document.payments[0].summary?.verdict).toBe('insufficient-approvals');
        const run = await verify(document);
        expect(run.code).toBe(3);
        expect(run.stdout).toMatch(new RegExp(`^VERIFIED payment ${round.paymentIds[0]}: insufficient-approvals: `));
        expect(run.stdout).toMatch(reason);
        // The summary made "full" to hide it: the verifier recomputes it.
        const hidden = structuredClone(document) as unknown as {
          payments: Array<{ summary: Record<string, unknown> }>;
        };
        Object.assign(hidden.payments[0].summary, { verdict: 'full-amount', discrepancies: [] });
        const hiddenRun = await verify(hidden as unknown as ProofDocument);
        expect(hiddenRun).toMatchObject({ code: 1 });
        expect(hiddenRun.stderr).toMatch(
          /the document says verdict full-amount, the events say insufficient-approvals/,
        );
      }
    });

    describe('the account paid, bound to the beneficiary’s record', () => {
      const NEW_ACCOUNT = { bankCode: '002', accountNumber: '002201000999302', accountHolderName: 'SITI AMINAH' };

      /**
       * Refused by the bank (AC04, account closed), reissued to `account` and paid in full in a
       * second batch, every event appended to the store through the ledger's own rules: the log
       * signs it honestly, every hash is right.
       */
      async function paidAgainTo(n: number, account: typeof NEW_ACCOUNT, recordChangedFirst: boolean) {
        const payment = { beneficiaryId: beneficiary(n), amount: '600000.00' };
        const refused = await recordRound(fixture.store, [{ ...payment, outcome: { rejected: 'AC04' } }], '2026-12');
        if (recordChangedFirst) await changeAccount(fixture.store, beneficiary(n), account);
        await reissuePayment(fixture.store, refused.paymentIds[0], account);
        await recordRound(fixture.store, [{ ...payment, outcome: { credited: '600000.00' } }], {
          period: '2026-12',
          account,
        });
        await fixture.writer.catchUp(fixture.store);
        await fixture.checkpoints.signLatest();
        return { paymentId: refused.paymentIds[0], document: await fixture.proofs.paymentProof(refused.paymentIds[0]) };
      }

      it('reissued and paid to an account the beneficiary’s record never held: verified, but account-not-bound (exit 3), naming both leaves', async () => {
        const { paymentId, document } = await paidAgainTo(5, NEW_ACCOUNT, false);
        expect(document.payments[0].summary).toMatchObject({
          verdict: 'account-not-bound',
          creditedAmount: '600000.00',
        });
        const enrolment = leafOf(document, 'BeneficiaryEnrolled').leafIndex;
        const reissue = leafOf(document, 'PaymentReissued').leafIndex;
        const record = `beneficiary-${beneficiary(5)}`;
        const run = await verify(document);
        expect(run.code).toBe(3);
        expect(run.stdout).toMatch(
          new RegExp(
            `^VERIFIED payment ${paymentId}: account-not-bound: the account at leaf ${reissue} \\(PaymentReissued\\) is not the one ${record}'s record held, set at leaf ${enrolment} \\(BeneficiaryEnrolled\\): accountNumber differs; ` +
              `the account at leaf \\d+ \\(PaymentBatched\\) is not the one ${record}'s record held, set at leaf ${enrolment} \\(BeneficiaryEnrolled\\): accountNumber differs \\(approved 600000.00, .*credited 600000.00, deducted 0.00; `,
          ),
        );

        // The summary made "full" to hide it: the verifier recomputes it.
        const hidden = structuredClone(document) as unknown as {
          payments: Array<{ summary: Record<string, unknown> }>;
        };
        Object.assign(hidden.payments[0].summary, { verdict: 'full-amount', discrepancies: [] });
        const hiddenRun = await verify(hidden as unknown as ProofDocument);
        expect(hiddenRun.code).toBe(1);
        expect(hiddenRun.stderr).toBe(
          `FAILED: payment ${paymentId}: the document says verdict full-amount, the events say account-not-bound`,
        );

        // The beneficiary's record left out of the document: a v2 proof without it is refused.
        const withoutRecord = {
          ...document,
          events: document.events.filter((event) => event.leafIndex !== enrolment),
          payments: [
            { ...document.payments[0], leafIndexes: document.payments[0].leafIndexes.filter((i) => i !== enrolment) },
          ],
          streams: document.streams?.filter((entry) => entry.stream !== record),
        };
        const withoutRun = await verify(withoutRecord);
        expect(withoutRun.code).toBe(1);
        expect(withoutRun.stderr).toBe(
          `FAILED: payment ${paymentId}: the events of ${record}, whose account the payment must go to, are not in the proof`,
        );
      });

      it('reissued after the beneficiary’s record was changed to the new account: full-amount, and the change is in the proof', async () => {
        const { paymentId, document } = await paidAgainTo(6, NEW_ACCOUNT, true);
        expect(document.payments[0].summary?.verdict).toBe('full-amount');
        const change = leafOf(document, 'BankAccountChanged');
        expect(document.payments[0].leafIndexes).toContain(change.leafIndex);
        const run = await verify(document);
        expect(run).toMatchObject({ code: 0, stderr: '' });
        expect(run.stdout).toMatch(
          new RegExp(`^OK payment ${paymentId}: full-amount: .*accounts checked against the beneficiary’s record$`),
        );

        // Who changed the account, and when, cannot be left out: the record's stream ends at its signed head.
        const withoutChange = {
          ...document,
          events: document.events.filter((event) => event !== change),
          payments: [
            {
              ...document.payments[0],
              leafIndexes: document.payments[0].leafIndexes.filter((i) => i !== change.leafIndex),
            },
          ],
        };
        const withoutRun = await verify(withoutChange);
        expect(withoutRun.code).toBe(1);
        expect(withoutRun.stderr).toMatch(
          new RegExp(
            `^FAILED: payment ${paymentId}: beneficiary-${beneficiary(6)}: the proof stops at revision 0 \\(leaf \\d+\\) but the stream's head at the checkpoint is revision 1 \\(leaf ${change.leafIndex}\\): later events are left out$`,
          ),
        );
      });
    });

    describe("a batch's content as a Merkle tree of its lines (salur-batch/v2)", () => {
      type Mutable = { -readonly [K in keyof ProofDocument]: ProofDocument[K] };
      const lineProofOf = (document: ProofDocument) => {
        const proof = document.payments[0].batchLines?.[0];
        if (!proof) throw new Error('the proof carries no batch line');
        return proof;
      };
      const withLine = (document: ProofDocument, edit: (proof: BatchLineProof) => BatchLineProof): ProofDocument => {
        const forged = structuredClone(document) as Mutable;
        forged.payments = document.payments.map((payment) => ({
          ...payment,
          batchLines: payment.batchLines?.map((proof, i) => (i === 0 ? edit(proof) : proof)),
        }));
        return forged;
      };
      const refusal = /^FAILED: payment .*: line-not-in-batch: the line given for the batch version at leaf \d+ /;

      it('untouched: the batch leaf keeps the root, count and total; the proof carries the line and its path', async () => {
        const document = await fixture.proofs.paymentProof(scene.fullPaymentId);
        const created = decodeLeaf(Buffer.from(leafOf(document, 'BatchCreated').leafBytes, 'base64'));
        expect(created.data.payments).toEqual({
          linesRoot: expect.stringMatching(/^[0-9a-f]{64}$/),
          count: 2,
          total: '1200000.00',
        });
        const proof = lineProofOf(document);
        expect(proof.leafIndex).toBe(leafOf(document, 'BatchCreated').leafIndex);
        expect(proof.line).toEqual([scene.fullPaymentId, beneficiary(1), '600000.00', '002', 0]);
        expect(proof.inclusionPath).toHaveLength(1);
        expect(JSON.stringify(document)).not.toContain(ACCOUNT.accountNumber);
        expect((await verify(document)).code).toBe(0);
      });

      it('a line altered (its amount): refused, it is not in the approved content', async () => {
        const document = await fixture.proofs.paymentProof(scene.shortPaymentId);
        const run = await verify(
          withLine(document, (proof) => ({
            ...proof,
            line: proof.line.map((field, i) => (i === 2 ? '700000.00' : field)),
          })),
        );
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(refusal);
        expect(run.stderr).toMatch(/does not lead, with its inclusion path, to the version's lines root [0-9a-f]{64}$/);
      });

      it('a path altered: refused', async () => {
        const document = await fixture.proofs.paymentProof(scene.fullPaymentId);
        const flip = (hash: string) => (hash[0] === '0' ? '1' : '0') + hash.slice(1);
        const run = await verify(
          withLine(document, (proof) => ({ ...proof, inclusionPath: proof.inclusionPath.map(flip) })),
        );
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(refusal);
      });

      it("another payment's line, or a line of another batch claimed for this one: refused", async () => {
        const document = await fixture.proofs.paymentProof(scene.fullPaymentId);
        const other = await fixture.proofs.paymentProof(scene.shortPaymentId);
        const swapped = await verify(withLine(document, () => lineProofOf(other)));
        expect(swapped.code).toBe(1);
        expect(swapped.stderr).toMatch(
          new RegExp(`is payment ${scene.shortPaymentId}'s, not ${scene.fullPaymentId}'s$`),
        );

        // The full payment's line as a one-line batch would hold it: its own root, not this batch's.
        const round = await recordRound(
          fixture.store,
          [{ beneficiaryId: beneficiary(1), amount: '600000.00', outcome: { credited: '600000.00' } }],
          '2026-12',
        );
        await fixture.writer.catchUp(fixture.store);
        await fixture.checkpoints.signLatest();
        const elsewhere = lineProofOf(await fixture.proofs.paymentProof(round.paymentIds[0]));
        const claimed = await verify(
          withLine(document, (proof) => ({
            ...elsewhere,
            leafIndex: proof.leafIndex,
            line: [scene.fullPaymentId, ...elsewhere.line.slice(1)],
          })),
        );
        expect(claimed.code).toBe(1);
        expect(claimed.stderr).toMatch(refusal);

        // In the database: another batch's lines stored for this one. The log refuses to serve paths from them.
        const createdAt = await leafIndexOf(fixture, `batch-${scene.fullBatchId}`, 'BatchCreated');
        const otherAt = await leafIndexOf(fixture, `batch-${round.batchId}`, 'BatchCreated');
        await sql`UPDATE audit_log_batch_lines SET lines = (SELECT lines FROM audit_log_batch_lines WHERE leaf_index = ${otherAt}) WHERE leaf_index = ${createdAt}`.execute(
          fixture.db,
        );
        await expect(fixture.proofs.paymentProof(scene.fullPaymentId)).rejects.toThrow(
          /the lines stored for the batch at leaf \d+ do not give its leaf's root, count and total/,
        );
      });

      it("a leaf's total altered: in the document, the leaf leaves the signed tree; re-signed with the real key, the content hash is not the approved one", async () => {
        const document = await fixture.proofs.paymentProof(scene.fullPaymentId);
        const created = leafOf(document, 'BatchCreated');
        const raise = (text: string) => text.replace('"total":"1200000.00"', '"total":"1250000.00"');
        const inDocument = structuredClone(document) as Mutable;
        inDocument.events = document.events.map((event) =>
          event.leafIndex === created.leafIndex ? { ...event, leafBytes: editBytes(event.leafBytes, raise) } : event,
        );
        const documentRun = await verify(inDocument);
        expect(documentRun.code).toBe(1);
        expect(documentRun.stderr).toMatch(
          new RegExp(`^FAILED: leaf ${created.leafIndex}: its inclusion path does not lead`),
        );

        // The key holder rewrites the leaf in the log, and the pain.001's control sum to match it,
        // rehashes the tree and signs it again: only the content hash the approvers signed is left.
        const file = document.events.find(
          (event) =>
            event.type === 'BatchFileGenerated' &&
            Buffer.from(event.leafBytes, 'base64').toString('utf8').includes('"format":"pain001"'),
        );
        if (!file) throw new Error('no pain.001 in the proof');
        const forgedLeaves = new Map([
          [created.leafIndex, Buffer.from(raise(Buffer.from(created.leafBytes, 'base64').toString('utf8')))],
          [
            file.leafIndex,
            Buffer.from(
              Buffer.from(file.leafBytes, 'base64')
                .toString('utf8')
                .replace('"controlSum":"1200000.00"', '"controlSum":"1250000.00"'),
            ),
          ],
        ]);
        for (const [index, bytes] of forgedLeaves)
          await sql`UPDATE audit_log_leaves SET leaf_bytes = ${bytes} WHERE leaf_index = ${index}`.execute(fixture.db);
        await rehashWholeTree(fixture);
        await sql`DELETE FROM audit_log_cosignatures`.execute(fixture.db);
        await sql`DELETE FROM audit_log_checkpoints`.execute(fixture.db);
        await resetStreamHeadMap(fixture);
        const resigned = await fixture.checkpoints.signLatest();
        // The log's own lines no longer give the leaf: it serves no proof of the batch.
        await expect(fixture.proofs.paymentProof(scene.fullPaymentId)).rejects.toThrow(LogIntegrityError);
        // A document put together from the re-signed log by hand: the verifier recomputes the content hash.
        const paths = await fixture.log.inclusionProofs(
          document.events.map((event) => event.leafIndex),
          resigned.treeSize,
        );
        const rebuilt = structuredClone(document) as Mutable;
        rebuilt.checkpoint = resigned.note;
        rebuilt.events = document.events.map((event) => ({
          ...event,
          leafBytes: forgedLeaves.get(event.leafIndex)?.toString('base64') ?? event.leafBytes,
          inclusionPath: (paths.get(event.leafIndex) ?? []).map((hash) => hash.toString('base64')),
        }));
        const run = await verify(rebuilt);
        expect(run.code).toBe(1);
        expect(run.stderr).toBe(
          `FAILED: payment ${scene.fullPaymentId}: the document says verdict full-amount, the events say bank-file-differs-from-batch`,
        );
      });

      it('approved lines that bind another record revision than the claim read: verified, but account-not-bound (exit 3)', async () => {
        const round = await recordRound(
          fixture.store,
          [{ beneficiaryId: beneficiary(5), amount: '250000.00', outcome: { credited: '250000.00' } }],
          { lineRevision: 7 },
        );
        await fixture.writer.catchUp(fixture.store);
        await fixture.checkpoints.signLatest();
        const document = await fixture.proofs.paymentProof(round.paymentIds[0]);
        expect(document.payments[0].summary?.verdict).toBe('account-not-bound');
        const run = await verify(document);
        expect(run.code).toBe(3);
        expect(run.stdout).toMatch(
          /^VERIFIED payment .*: account-not-bound: the line in the batch version at leaf \d+ binds the account of the beneficiary's record at revision 7; the claim at leaf \d+ read revision 0/,
        );
      });

      it('a batch written before salur-batch/v2 keeps its whole leaf, and its proof verifies as before', async () => {
        const round = await recordRound(
          fixture.store,
          [{ beneficiaryId: beneficiary(4), amount: '250000.00', outcome: { credited: '250000.00' } }],
          {
            batchFormat: 'v1',
          },
        );
        await fixture.writer.catchUp(fixture.store);
        await fixture.checkpoints.signLatest();
        const document = await fixture.proofs.paymentProof(round.paymentIds[0]);
        expect(document.payments[0].batchLines).toBeUndefined();
        const created = decodeLeaf(Buffer.from(leafOf(document, 'BatchCreated').leafBytes, 'base64'));
        expect(created.data.payments).toEqual([{ paymentId: round.paymentIds[0], amount: '250000.00' }]);
        expect((await verify(document)).code).toBe(0);
      });
    });

    it('a v1 document still verifies as before, and says what it cannot show', async () => {
      const document = await fixture.proofs.paymentProof(scene.fullPaymentId);
      const checkpoint = parseCheckpointText(parseSignedNote(document.checkpoint).text);
      const { streams: _, ...rest } = document;
      // A v1 document carries neither the policies nor the beneficiary's record.
      const v2Only = document.events.filter((event) =>
        ['ApprovalPolicyDeclared', 'BeneficiaryEnrolled'].includes(event.type),
      );
      const v1 = {
        ...rest,
        format: 'salur-proof/v1' as const,
        checkpoint: signCheckpoint({ ...checkpoint, extensions: [] }, fixture.key),
        events: document.events.filter((event) => !v2Only.includes(event)),
        payments: document.payments.map((payment) => ({
          ...payment,
          leafIndexes: payment.leafIndexes.filter((index) => !v2Only.some((event) => event.leafIndex === index)),
        })),
      };
      const run = await verify(v1);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        /\(the checkpoint states no time\); a v1 document cannot show that its streams end at their heads .*, nor four eyes against the programme policy, nor that each account paid was the one on the beneficiary’s record$/,
      );
    });
  });
}
