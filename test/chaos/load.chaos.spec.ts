import type { RecordedEvent } from '@salur/event-store';
import { Answer, Command, Journal } from '../../tools/load/journal';
import { DEFAULT_OPTIONS, LoadReport, runLoadTest } from '../../tools/load/run';
import { LogIndex, verify } from '../../tools/load/verify';

/**
 * The load test (tools/load-test.ts) as a test: the API in its own process under mixed traffic
 * for 15 s, then nothing acknowledged lost or done twice, every 409 explained, no 5xx, and the
 * invariant checker clean. The second block feeds the same verification made-up journals and
 * logs, so each of those assertions is shown to fail when its rule is broken.
 */
describe('the API under mixed load', () => {
  let report: LoadReport;
  beforeAll(async () => {
    report = await runLoadTest({ ...DEFAULT_OPTIONS, durationSeconds: 15 });
  });

  it('answers no 5xx, no connection error and no timeout on any endpoint', () => {
    for (const endpoint of report.endpoints) {
      expect({
        endpoint: endpoint.endpoint,
        serverErrors: Object.keys(endpoint.statuses).filter((s) => Number(s) >= 500),
      }).toEqual({ endpoint: endpoint.endpoint, serverErrors: [] });
      expect({ endpoint: endpoint.endpoint, errors: endpoint.errors, timeouts: endpoint.timeouts }).toEqual({
        endpoint: endpoint.endpoint,
        errors: 0,
        timeouts: 0,
      });
    }
  });

  it('ran every scenario, with the deliberate duplicates, retries and races it is meant to have', () => {
    const requests = Object.fromEntries(report.endpoints.map((e) => [e.endpoint, e.requests]));
    for (const [endpoint, count] of Object.entries(requests))
      expect({ endpoint, some: count > 0 }).toEqual({ endpoint, some: true });
    expect(report.verification.acknowledgedCommands).toBeGreaterThan(50);
    expect(report.verification.replays).toBeGreaterThan(0);
    expect(report.verification.conflicts.DUPLICATE_ENROLMENT?.count ?? 0).toBeGreaterThan(0);
    // One job per distinct file uploaded (how many of the files get their turn depends on the machine's speed).
    expect(report.ingestJobs.completed).toBeGreaterThan(0);
    expect(report.ingestJobs.failed).toBe(0);
  });

  it('loses no acknowledged command, duplicates none, writes none without acknowledging it', () => {
    expect(report.verification.lost).toEqual([]);
    expect(report.verification.duplicates).toEqual([]);
    expect(report.verification.unacknowledgedWrites).toEqual([]);
  });

  it('explains every 409 and expects every other answer', () => {
    expect(report.verification.unexplainedConflicts).toEqual([]);
    expect(report.verification.unexpectedStatuses).toEqual([]);
  });

  it('leaves a ledger the invariant checker passes, read models included', () => {
    expect(report.check.violations).toEqual([]);
    expect(report.check.ok).toBe(true);
    expect(report.failures).toEqual([]);
    expect(report.ok).toBe(true);
  });
});

describe('the load verification on made-up journals', () => {
  const nik = '1606014509850001';
  const enrol: Command = { kind: 'enrol', key: 'k-1', userId: 'eo-load-1', nik };
  const approve: Command = { kind: 'approve', key: 'k-2', userId: 'fo-01', batchId: 'b-1' };
  const loadUser = (userId: string) => userId.startsWith('eo-load-') || userId.startsWith('fo-');
  let position = 0;
  const event = (streamName: string, type: string, data: Record<string, string>, userId: string): RecordedEvent => ({
    id: `e-${++position}`,
    streamName,
    type,
    revision: 0,
    position,
    recordedAt: '2026-11-26T00:00:00.000Z',
    data,
    metadata: { actor: { userId, role: 'x' }, causationId: `request-${position}` },
  });
  const indexOf = (...events: RecordedEvent[]) => {
    const index = new LogIndex();
    for (const e of events) index.observe(e);
    return index;
  };
  const journalOf = (...answers: Answer[]) => {
    const journal = new Journal();
    for (const answer of answers) {
      journal.sent(answer.command);
      journal.answered(answer);
    }
    return journal;
  };
  const ok = (command: Command, id: string, at: number): Answer => ({
    endpoint: command.kind,
    command,
    status: command.kind === 'enrol' ? 201 : 200,
    replayed: false,
    receipt: { id, position: at },
  });
  const refused = (command: Command, status: number, code: string): Answer => ({
    endpoint: command.kind,
    command,
    status,
    code,
    replayed: false,
  });

  it('passes an honest journal', () => {
    const enrolled = event('beneficiary-x', 'BeneficiaryEnrolled', { nik }, 'eo-load-1');
    const result = verify(
      journalOf(ok(enrol, 'x', enrolled.position), refused({ ...enrol, key: 'k-3' }, 409, 'DUPLICATE_ENROLMENT')),
      indexOf(enrolled),
      loadUser,
    );
    expect(result.ok).toBe(true);
    expect(result.conflicts.DUPLICATE_ENROLMENT.count).toBe(1);
  });

  it('finds an acknowledged command that is not in the log', () => {
    const result = verify(journalOf(ok(enrol, 'x', 999)), indexOf(), loadUser);
    expect(result.lost).toHaveLength(1);
    expect(result.ok).toBe(false);
  });

  it('finds a NIK enrolled twice, and an approval recorded twice', () => {
    const first = event('beneficiary-x', 'BeneficiaryEnrolled', { nik }, 'eo-load-1');
    const second = event('beneficiary-y', 'BeneficiaryEnrolled', { nik }, 'eo-load-2');
    const approvals = [1, 2].map(() =>
      event('batch-b-1', 'BatchApprovalRecorded', { batchId: 'b-1', approverId: 'fo-01' }, 'fo-01'),
    );
    const result = verify(
      journalOf(ok(enrol, 'x', first.position), ok(approve, 'b-1', approvals[0].position)),
      indexOf(first, second, ...approvals),
      loadUser,
    );
    expect(result.duplicates.map((d) => d.endpoint).sort()).toEqual(['approve', 'enrol']);
    expect(result.ok).toBe(false);
  });

  it('finds a write that was answered with an error', () => {
    const written = event('beneficiary-x', 'BeneficiaryEnrolled', { nik }, 'eo-load-1');
    const result = verify(journalOf(refused(enrol, 500, 'INTERNAL_ERROR')), indexOf(written), loadUser);
    expect(result.unacknowledgedWrites).toHaveLength(1);
    expect(result.unexpectedStatuses).toHaveLength(1);
    expect(result.ok).toBe(false);
  });

  it('refuses a 409 the log does not bear out, or with a code no scenario expects', () => {
    const result = verify(
      journalOf(
        refused(enrol, 409, 'DUPLICATE_ENROLMENT'),
        refused(approve, 409, 'ALREADY_APPROVED'),
        refused(approve, 409, 'BATCH_CHANGED'),
        refused({ ...enrol, key: 'sent-once' }, 409, 'IDEMPOTENCY_IN_PROGRESS'),
      ),
      indexOf(),
      loadUser,
    );
    expect(result.unexplainedConflicts).toHaveLength(4);
    expect(result.ok).toBe(false);
  });

  it('tells two receipts for one idempotency key apart', () => {
    const enrolled = event('beneficiary-x', 'BeneficiaryEnrolled', { nik }, 'eo-load-1');
    const result = verify(
      journalOf(ok(enrol, 'x', enrolled.position), ok(enrol, 'x', 999)),
      indexOf(enrolled),
      loadUser,
    );
    expect(result.duplicates.some((d) => d.what.includes('two different receipts'))).toBe(true);
  });
});
