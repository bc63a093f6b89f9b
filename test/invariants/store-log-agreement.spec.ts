import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { hashLeaf } from '@salur/audit-log';
import { CheckReport, checkLedger, checkStoreAgreesWithLog, Violation } from '@salur/invariants';
import { appendNoise, beneficiary, recordRound, RoundResult } from '../audit-log/support/ledger-history';
import { Dialect, LogFixture, openLogFixture } from '../audit-log/support/log-fixture';

/** Leaves per page in these tests: small, so a log of ~40 leaves is read in several pages. */
const SMALL_PAGE = 7;

describe.each<Dialect>(['sqlite', 'postgres'])('the event store and the Merkle log agree, on %s', (dialect) => {
  let fixture: LogFixture;
  let round: RoundResult;

  beforeEach(async () => {
    fixture = await openLogFixture(dialect);
    await appendNoise(fixture.store, 3);
    round = await recordRound(fixture.store, [
      { beneficiaryId: beneficiary(1), amount: '600000.00', outcome: { credited: '600000.00' } },
      { beneficiaryId: beneficiary(2), amount: '450000.00', outcome: { credited: '450000.00' } },
    ]);
    await appendNoise(fixture.store, 2);
    await fixture.writer.catchUp(fixture.store);
  });

  afterEach(async () => {
    await fixture.close();
  });

  const check = (): Promise<Violation[]> =>
    checkStoreAgreesWithLog(fixture.store, fixture.log, { leavesPerPage: SMALL_PAGE });
  const paymentStream = () => `payment-${round.paymentIds[0]}`;

  async function leafOf(stream: string, type: string) {
    const row = await fixture.db
      .selectFrom('auditLogLeaves')
      .selectAll()
      .where('stream', '=', stream)
      .where('eventType', '=', type)
      .executeTakeFirstOrThrow();
    return { ...row, leafIndex: Number(row.leafIndex), revision: Number(row.revision), position: Number(row.position) };
  }

  it('a clean ledger passes, events not logged yet included; checkLedger runs the rule when given the log', async () => {
    expect((await fixture.log.state()).treeSize).toBeGreaterThan(3 * SMALL_PAGE);
    await appendNoise(fixture.store, 3); // after the log's size: not logged yet, not a fault
    expect(await check()).toEqual([]);
    const report = await checkLedger(fixture.store, { auditLog: fixture.log });
    expect(report.checked).toContain('store-agrees-with-log');
    expect(report.violations.filter((violation) => violation.invariant === 'store-agrees-with-log')).toEqual([]);
    expect((await checkLedger(fixture.store)).checked).not.toContain('store-agrees-with-log');
  });

  it('an amount edited in the event store: the first divergence names the leaf, the event and the field', async () => {
    const leaf = await leafOf(paymentStream(), 'PaymentScheduled');
    const changed = await fixture.eventsSql(
      `UPDATE events SET data = replace(data, '"amount":"600000.00"', '"amount":"500000.00"') WHERE stream_name = ? AND type = 'PaymentScheduled'`,
      [paymentStream()],
    );
    expect(changed).toBe(1);
    expect(await check()).toEqual([
      {
        invariant: 'store-agrees-with-log',
        leafIndex: leaf.leafIndex,
        eventId: leaf.eventId,
        position: leaf.position,
        streamName: paymentStream(),
        message:
          `leaf ${leaf.leafIndex}, event ${leaf.eventId} (${paymentStream()} revision 0, position ${leaf.position}): ` +
          `its bytes are not the stored event's: $.data.amount is "500000.00" in the event store, "600000.00" in the log`,
      },
    ]);
    const report = await checkLedger(fixture.store, { auditLog: fixture.log });
    expect(report.ok).toBe(false);
  });

  it("a leaf's bytes edited in the audit database, with or without its hash recomputed", async () => {
    const leaf = await leafOf(paymentStream(), 'PaymentCredited');
    const forged = Buffer.from(leaf.leafBytes.toString('utf8').replace('"600000.00"', '"500000.00"'));
    expect(forged.equals(leaf.leafBytes)).toBe(false);
    await sql`UPDATE audit_log_leaves SET leaf_bytes = ${forged} WHERE leaf_index = ${leaf.leafIndex}`.execute(
      fixture.db,
    );
    const bytesOnly = await check();
    expect(bytesOnly).toEqual([expect.objectContaining({ leafIndex: leaf.leafIndex, eventId: leaf.eventId })]);
    expect(bytesOnly[0].message).toMatch(
      /its bytes are not the stored event's: \$\.data\.\w+ is "600000\.00" in the event store, "500000\.00" in the log$/,
    );

    await sql`UPDATE audit_log_leaves SET leaf_hash = ${hashLeaf(forged)} WHERE leaf_index = ${leaf.leafIndex}`.execute(
      fixture.db,
    );
    expect((await check()).map((violation) => violation.leafIndex)).toEqual([leaf.leafIndex]);
  });

  it('a leaf hash that is not SHA-256(0x00 ‖ its bytes)', async () => {
    const leaf = await leafOf(paymentStream(), 'PaymentSentToBank');
    await sql`UPDATE audit_log_leaves SET leaf_hash = ${hashLeaf(Buffer.from('other'))} WHERE leaf_index = ${leaf.leafIndex}`.execute(
      fixture.db,
    );
    expect(await check()).toEqual([
      expect.objectContaining({
        leafIndex: leaf.leafIndex,
        message: expect.stringMatching(/: its stored leaf hash is not SHA-256\(0x00 ‖ its bytes\)$/),
      }),
    ]);
  });

  it('an event deleted from the store is in the log only, reported once (the leaves after it still pair up)', async () => {
    const leaf = await leafOf(paymentStream(), 'PaymentCredited');
    await fixture.eventsSql('DELETE FROM events WHERE event_id = ?', [leaf.eventId]);
    expect(await check()).toEqual([
      expect.objectContaining({
        leafIndex: leaf.leafIndex,
        eventId: leaf.eventId,
        message: `leaf ${leaf.leafIndex}, event ${leaf.eventId} (${paymentStream()} revision ${leaf.revision}, position ${leaf.position}), is in the log but not in the event store`,
      }),
    ]);
  });

  it('a leaf deleted from the audit database: a hole in the leaves, and its event is in the store only', async () => {
    const leaf = await leafOf(paymentStream(), 'PaymentBatched');
    await sql`DELETE FROM audit_log_leaves WHERE leaf_index = ${leaf.leafIndex}`.execute(fixture.db);
    expect((await check()).map((violation) => violation.message)).toEqual([
      `leaves ${leaf.leafIndex}..${leaf.leafIndex} are missing from the audit database`,
      `event ${leaf.eventId} (${paymentStream()} revision ${leaf.revision}, position ${leaf.position}) is in the event store but not in the log, which should hold it`,
    ]);
  });

  it('an event the log claims to have reached but does not hold: the state row moved past its leaves', async () => {
    const { treeSize, position } = await fixture.log.state();
    await appendNoise(fixture.store, 1);
    const head = (await fixture.store.headPosition()) as number;
    await sql`UPDATE audit_log_state SET position = ${head}`.execute(fixture.db);
    expect((await check()).map((violation) => violation.message)).toEqual([
      expect.stringMatching(new RegExp(`position ${head}\\) is in the event store but not in the log`)),
      `the log's state says it has logged the store up to position ${head}, but its last leaf is at position ${position}`,
    ]);
    expect((await fixture.log.state()).treeSize).toBe(treeSize);
  });
});

describe('npm run cli -- check, with the audit log beside the events (SQLite)', () => {
  let fixture: LogFixture;

  beforeAll(async () => {
    fixture = await openLogFixture('sqlite');
    await appendNoise(fixture.store, 4);
    await fixture.writer.catchUp(fixture.store);
  });
  afterAll(() => fixture?.close());

  const runCheck = () =>
    promisify(execFile)(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        'apps/cli/src/main.ts',
        'check',
        '--json',
        '--no-read-models',
      ],
      {
        cwd: join(__dirname, '..', '..'),
        env: {
          ...process.env,
          SQLITE_PATH: join(fixture.directory, 'events.db'),
          AUDIT_LOG_SQLITE_PATH: join(fixture.directory, 'read.db'),
          TS_NODE_PROJECT: 'tsconfig.json',
        },
      },
    ).then(
      ({ stdout }) => ({ code: 0, report: JSON.parse(stdout) as CheckReport }),
      (error: { code: number; stdout: string }) => ({
        code: error.code,
        report: JSON.parse(error.stdout) as CheckReport,
      }),
    );

  it('finds the log next to the events, passes a clean one, and exits 1 on an event edited in the store', async () => {
    const clean = await runCheck();
    expect(clean).toMatchObject({ code: 0, report: { ok: true, violations: [] } });
    expect(clean.report.checked).toContain('store-agrees-with-log');

    const [leaf] = await fixture.log.leavesFrom(2, 1);
    await fixture.eventsSql(`UPDATE events SET data = replace(data, '"SITI 2"', '"SITI 3"') WHERE event_id = ?`, [
      leaf.eventId,
    ]);
    const broken = await runCheck();
    expect(broken.code).toBe(1);
    expect(broken.report.violations).toEqual([
      expect.objectContaining({
        invariant: 'store-agrees-with-log',
        leafIndex: 2,
        eventId: leaf.eventId,
        message: expect.stringMatching(/: \$\.data\.name is "SITI 3" in the event store, "SITI 2" in the log$/),
      }),
    ]);
  }, 600_000); // two CLI processes, each transpiling the app: a bound against a hang
});
