import { sql } from 'kysely';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AuditLogWriter,
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
import { appendNoise, beneficiary, recordRound } from './support/ledger-history';
import { Dialect, LogFixture, openLogFixture, ORIGIN, runVerifier, writeJson, writeText } from './support/log-fixture';

interface Scene {
  readonly fullPaymentId: string;
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
        /^OK payment .*: full-amount: .*consistent with your checkpoint saved-checkpoint.txt$/,
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
  });
}
