import type { RecordedEvent } from '@salur/event-store';
import { Answer, Journal } from './journal';
import { MAKER } from './setup';

/**
 * The log as the checks need it: where each acknowledged command should be, and how many times
 * each outcome that may happen only once happened. Built from one pass over the events.
 */
export class LogIndex {
  private readonly atPosition = new Map<number, { streamName: string; type: string; causationId: string }>();
  /** NIK → positions of its BeneficiaryEnrolled events. */
  readonly enrolments = new Map<string, { position: number; userId: string }[]>();
  /** `batchId approverId` → positions of BatchApprovalRecorded. */
  readonly approvals = new Map<string, { position: number; causationId: string }[]>();
  /** sha256 → number of BankFileIngested. */
  readonly ingestedFiles = new Map<string, number>();

  observe(event: RecordedEvent): void {
    const causationId = String(event.metadata.causationId ?? '');
    const userId = String((event.metadata.actor as { userId?: string } | undefined)?.userId ?? '');
    this.atPosition.set(event.position, { streamName: event.streamName, type: event.type, causationId });
    if (event.type === 'BeneficiaryEnrolled')
      push(this.enrolments, String(event.data.nik), { position: event.position, userId });
    if (event.type === 'BatchApprovalRecorded')
      push(this.approvals, approvalKey(String(event.data.batchId), String(event.data.approverId)), {
        position: event.position,
        causationId,
      });
    if (event.type === 'BankFileIngested' && event.streamName.startsWith('bank-file-')) {
      const sha256 = event.streamName.slice('bank-file-'.length);
      this.ingestedFiles.set(sha256, (this.ingestedFiles.get(sha256) ?? 0) + 1);
    }
  }

  at(position: number) {
    return this.atPosition.get(position);
  }
}

export interface Finding {
  readonly endpoint: string;
  readonly what: string;
}

export interface Verification {
  /** 2xx answers to commands, replays included, and the distinct commands behind them. */
  readonly acknowledged: number;
  readonly acknowledgedCommands: number;
  readonly replays: number;
  readonly lost: readonly Finding[];
  readonly duplicates: readonly Finding[];
  /** Writes by the load's users that no 2xx acknowledged: a command that failed after writing. */
  readonly unacknowledgedWrites: readonly Finding[];
  /** Commands in flight when the run ended (their answer was never read); written or not, both are fine. */
  readonly cutOff: number;
  /** Every 409 by code, with why it was expected. */
  readonly conflicts: Record<string, { readonly count: number; readonly explanation: string }>;
  readonly unexplainedConflicts: readonly Finding[];
  /** 5xx and any status a scenario never expects (a 400 would be the load script's own bug). */
  readonly unexpectedStatuses: readonly Finding[];
  readonly ok: boolean;
}

const LIST_LIMIT = 50;

/** The client's journal against the log: nothing acknowledged lost, nothing done twice, every 409 explained. */
export function verify(journal: Journal, log: LogIndex, loadUser: (userId: string) => boolean): Verification {
  const lost: Finding[] = [];
  const duplicates: Finding[] = [];
  const unacknowledgedWrites: Finding[] = [];
  const unexplained: Finding[] = [];
  const unexpected: Finding[] = [];
  const conflicts: Record<string, { count: number; explanation: string }> = {};
  const firstAnswerOfKey = new Map<string, Answer>();
  const ackedNiks = new Map<string, Set<string>>();
  const ackedApprovals = new Map<string, Set<string>>();
  const ackedFiles = new Set<string>();
  let acknowledged = 0;
  let replays = 0;
  const cutOffNiks = new Set<string>();
  const cutOffApprovals = new Set<string>();
  const cutOff = journal.unanswered();
  for (const command of cutOff) {
    if (command.kind === 'enrol') cutOffNiks.add(command.nik);
    if (command.kind === 'approve') cutOffApprovals.add(approvalKey(command.batchId, command.userId));
  }

  for (const answer of journal.answers) {
    const { command, endpoint } = answer;
    if (answer.replayed) replays++;
    if (answer.status >= 200 && answer.status < 300 && answer.receipt) {
      acknowledged++;
      if (command.kind === 'bank-result') {
        if (answer.receipt.sha256) ackedFiles.add(answer.receipt.sha256);
        continue;
      }
      const first = firstAnswerOfKey.get(command.key);
      if (!first) firstAnswerOfKey.set(command.key, answer);
      else if (first.receipt?.id !== answer.receipt.id || first.receipt?.position !== answer.receipt.position)
        duplicates.push({ endpoint, what: `key ${command.key} answered two different receipts` });
      const found = log.at(Number(answer.receipt.position));
      if (command.kind === 'enrol') {
        add(ackedNiks, command.nik, command.key);
        if (found?.streamName !== `beneficiary-${answer.receipt.id}` || found.type !== 'BeneficiaryEnrolled')
          lost.push({ endpoint, what: `enrolment ${answer.receipt.id} acknowledged at ${answer.receipt.position}` });
      } else {
        const key = approvalKey(command.batchId, command.userId);
        add(ackedApprovals, key, command.key);
        const recorded = log.approvals.get(key) ?? [];
        if (
          found?.streamName !== `batch-${command.batchId}` ||
          !recorded.some((r) => r.causationId === found.causationId)
        )
          lost.push({
            endpoint,
            what: `approval of ${command.batchId} by ${command.userId} at ${answer.receipt.position}`,
          });
      }
      continue;
    }
    const explanation = explain(answer, journal, log);
    if (answer.status === 409) {
      if (explanation) {
        const entry = (conflicts[answer.code ?? 'NO_CODE'] ??= { count: 0, explanation });
        entry.count++;
      } else unexplained.push({ endpoint, what: `409 ${answer.code} for ${describe(answer)}` });
    } else if (!explanation)
      unexpected.push({ endpoint, what: `${answer.status} ${answer.code} for ${describe(answer)}` });
  }

  for (const [nik, keys] of ackedNiks)
    if (keys.size > 1)
      duplicates.push({ endpoint: 'enrol', what: `NIK …${nik.slice(-4)} acknowledged under ${keys.size} keys` });
  for (const [key, keys] of ackedApprovals)
    if (keys.size > 1)
      duplicates.push({ endpoint: 'approve', what: `approval ${key} acknowledged under ${keys.size} keys` });
  for (const [nik, enrolled] of log.enrolments) {
    if (enrolled.length > 1)
      duplicates.push({ endpoint: 'enrol', what: `NIK …${nik.slice(-4)} enrolled ${enrolled.length} times` });
    if (enrolled.some((e) => loadUser(e.userId)) && !ackedNiks.has(nik) && !cutOffNiks.has(nik))
      unacknowledgedWrites.push({ endpoint: 'enrol', what: `NIK …${nik.slice(-4)} enrolled without a 2xx` });
  }
  for (const [key, recorded] of log.approvals) {
    if (recorded.length > 1) duplicates.push({ endpoint: 'approve', what: `${key} recorded ${recorded.length} times` });
    if (loadUser(key.split(' ')[1]) && !ackedApprovals.has(key) && !cutOffApprovals.has(key))
      unacknowledgedWrites.push({ endpoint: 'approve', what: `${key} recorded without a 2xx` });
  }
  for (const sha256 of ackedFiles) {
    const ingested = log.ingestedFiles.get(sha256) ?? 0;
    if (ingested === 0)
      lost.push({ endpoint: 'bank-result', what: `file ${sha256.slice(0, 12)}… accepted, never ingested` });
    if (ingested > 1)
      duplicates.push({ endpoint: 'bank-result', what: `file ${sha256.slice(0, 12)}… ingested ${ingested} times` });
  }
  const ok = [lost, duplicates, unacknowledgedWrites, unexplained, unexpected].every((list) => list.length === 0);
  return {
    acknowledged,
    acknowledgedCommands: firstAnswerOfKey.size + ackedFiles.size,
    replays,
    lost: lost.slice(0, LIST_LIMIT),
    duplicates: duplicates.slice(0, LIST_LIMIT),
    unacknowledgedWrites: unacknowledgedWrites.slice(0, LIST_LIMIT),
    cutOff: cutOff.length,
    conflicts,
    unexplainedConflicts: unexplained.slice(0, LIST_LIMIT),
    unexpectedStatuses: unexpected.slice(0, LIST_LIMIT),
    ok,
  };
}

/** Why a refusal was expected, checked against the log where the log can tell; undefined if it was not. */
function explain(answer: Answer, journal: Journal, log: LogIndex): string | undefined {
  const { command, status, code } = answer;
  if (command.kind === 'bank-result') return undefined;
  const retried = (journal.sentKeys.get(command.key) ?? 0) > 1;
  if (status === 409 && code === 'IDEMPOTENCY_IN_PROGRESS' && retried)
    return 'a retry arrived while the first request with its key was still running';
  if (command.kind === 'enrol') {
    if (status === 409 && code === 'DUPLICATE_ENROLMENT' && (log.enrolments.get(command.nik)?.length ?? 0) > 0)
      return 'the NIK is enrolled (by an earlier request) in the log';
    if (status === 409 && code === 'CONCURRENCY_CONFLICT' && (journal.sentNiks.get(command.nik) ?? 0) > 1)
      return 'two requests raced to enrol the same NIK';
    return undefined;
  }
  const approved = (log.approvals.get(approvalKey(command.batchId, command.userId))?.length ?? 0) > 0;
  if (status === 409 && code === 'ALREADY_APPROVED' && approved)
    return 'the log holds this officer’s approval of the batch';
  if (status === 409 && code === 'CONCURRENCY_CONFLICT')
    return 'officers raced on the batch and programme streams beyond the bounded retries';
  if (status === 403 && code === 'MAKER_CANNOT_APPROVE' && command.userId === MAKER)
    return 'four eyes: the maker asked';
  if (status === 422 && code === 'BATCH_NOT_PENDING') return 'the batch had all its approvals already';
  return undefined;
}

function describe(answer: Answer): string {
  const { command } = answer;
  if (command.kind === 'enrol') return `enrolment of …${command.nik.slice(-4)} by ${command.userId}`;
  if (command.kind === 'approve') return `approval of ${command.batchId} by ${command.userId}`;
  return `upload of ${command.fileName}`;
}

function approvalKey(batchId: string, approverId: string): string {
  return `${batchId} ${approverId}`;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function add(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}
