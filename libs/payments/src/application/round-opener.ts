import { Inject, Injectable } from '@nestjs/common';
import { handleCommand, LedgerContext, loadStream, metadataOf } from '@salur/application';
import { EVENT_STORE, EventStore, JsonObject, StreamAppend, WrongExpectedRevisionError } from '@salur/event-store';
import { amountOf, DomainError, formatAmount, invalid, notFound } from '@salur/kernel';
import { isPeriod, paymentDecider, paymentIdFor, paymentStreamName, SchedulePayment } from '../domain';
import { programmeDecider, programmeStreamName, requireDeclaredPeriod } from '@salur/programmes/domain';
import { randomUUID } from 'node:crypto';
import { forEachLimited, ReportProgress } from '@salur/queue';
import { roundScan } from './round-scan';

/**
 * Beneficiaries scheduled between two progress reports; with a store that appends many streams
 * at once, also the payments of one transaction.
 * A round gets about ROUND_PROGRESS_STEPS chunks of OPEN_ROUND_CHUNK to OPEN_ROUND_MAX_CHUNK.
 */
export const OPEN_ROUND_CHUNK = 1_000;
/**
 * Each payment stream is a random key in the store's (stream, revision) index, so a transaction
 * dirties about one index page per payment; larger transactions share pages and commits: on
 * SQLite with a million streams, 5,000 a transaction inserts ~1.7 times as fast as 1,000
 * (bench/README.md). 5,000 events are ~3 MB and hold the write lock ~0.2 s.
 */
export const OPEN_ROUND_MAX_CHUNK = 5_000;
const ROUND_PROGRESS_STEPS = 100;

/** The chunk of a round of `total`: a whole number of thousands. */
export function openRoundChunkFor(total: number): number {
  const chunks = Math.ceil(total / ROUND_PROGRESS_STEPS / OPEN_ROUND_CHUNK);
  return Math.min(OPEN_ROUND_MAX_CHUNK, Math.max(1, chunks) * OPEN_ROUND_CHUNK);
}
/** Payments scheduled at once on the one-by-one path: the store serialises appends anyway; this hides read latency. */
const SCHEDULE_CONCURRENCY = 4;

type ScheduleOutcome = 'scheduled' | 'alreadyScheduled' | 'conflicting';
type ScheduleCommand = SchedulePayment & { readonly context: LedgerContext };

export interface OpenRoundResult {
  readonly total: number;
  readonly scheduled: number;
  readonly alreadyScheduled: number;
  /** A payment for the period exists with another amount (the benefit changed): left as it is. */
  readonly conflicting: number;
}

/**
 * Opens a round: one payment per active beneficiary for the programme and period, with the
 * programme's benefit amount. The payment id is derived from (programme, period, beneficiary),
 * so a retry after a crash at any point finds the payments it already scheduled and creates
 * none twice. A retry walks the whole list again rather than resuming at its last progress: the
 * scan already says which payments exist (counted without touching their streams), and a
 * beneficiary enrolled between the crash and the retry is not skipped for sorting earlier.
 *
 * One scan of the log gives the active beneficiaries and the payments that already exist. The
 * new payments of a chunk are decided against the empty stream and appended in one
 * multi-stream transaction, each stream expected not to exist: the store, not the scan, keeps a
 * payment unique, so a payment created since the scan (POST /payments) makes the whole chunk
 * fail unwritten, and the chunk is then scheduled one payment at a time through the usual
 * command path, as are payments the scan found and stores without `appendMany`.
 */
@Injectable()
export class RoundOpener {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async open(
    round: { programmeId: string; period: string },
    context: LedgerContext,
    report: ReportProgress,
  ): Promise<OpenRoundResult> {
    const { programmeId, period } = round;
    if (!isPeriod(period))
      throw invalid('INVALID_PERIOD', `Period '${period}' is not YYYY-MM, YYYY-Qn or YYYY-NAME`, 'period');
    const programme = await loadStream(this.store, programmeStreamName(programmeId), programmeDecider);
    if (programme.state.status === 'absent') throw notFound('PROGRAMME_NOT_FOUND', `No programme ${programmeId}`);
    // The route checked it too; jobs also come from elsewhere (tools, tests, older requests).
    requireDeclaredPeriod(programme.state, period);
    const amount = formatAmount(programme.state.benefitAmount);
    const { activeBeneficiaryIds: beneficiaryIds, scheduledAmounts } = await roundScan(this.store, programmeId, period);
    const counts: Record<ScheduleOutcome, number> = { scheduled: 0, alreadyScheduled: 0, conflicting: 0 };
    const chunk = openRoundChunkFor(beneficiaryIds.length);
    for (let offset = 0; offset < beneficiaryIds.length; offset += chunk) {
      const commands = beneficiaryIds
        .slice(offset, offset + chunk)
        .map((beneficiaryId) => scheduleCommand(programmeId, period, beneficiaryId, amount, context));
      // A payment the scan saw is final (its amount never changes): counted, not re-decided.
      for (const command of commands) {
        const existing = scheduledAmounts.get(command.data.paymentId);
        if (existing === undefined) continue;
        counts[amountOf(existing).equals(programme.state.benefitAmount) ? 'alreadyScheduled' : 'conflicting']++;
      }
      // In stream-name order: one transaction then walks the store's index once instead of at random.
      const fresh = commands
        .filter((command) => !scheduledAmounts.has(command.data.paymentId))
        .sort((left, right) => (left.data.paymentId < right.data.paymentId ? -1 : 1));
      const oneByOne: ScheduleCommand[] = [];
      if (await this.appendTogether(fresh, context)) counts.scheduled += fresh.length;
      else oneByOne.push(...fresh);
      await forEachLimited(oneByOne, SCHEDULE_CONCURRENCY, async (command) => {
        counts[await this.schedule(command)]++;
      });
      await report({ done: offset + commands.length, total: beneficiaryIds.length, ...counts });
    }
    if (beneficiaryIds.length === 0) await report({ done: 0, total: 0, ...counts });
    return { total: beneficiaryIds.length, ...counts };
  }

  /** The chunk's new payments in one transaction; false (nothing written) if that cannot be done. */
  private async appendTogether(commands: readonly ScheduleCommand[], context: LedgerContext): Promise<boolean> {
    if (!this.store.appendMany) return false;
    if (commands.length === 0) return true;
    const metadata = metadataOf(context);
    const appends: StreamAppend[] = commands.map((command) => ({
      streamName: paymentStreamName(command.data.paymentId),
      events: paymentDecider.decide(command, paymentDecider.initialState).map((event) => ({
        id: randomUUID(),
        type: event.type,
        data: event.data as JsonObject,
        metadata,
      })),
      options: { expectedRevision: 'no_stream' },
    }));
    try {
      await this.store.appendMany(appends);
      return true;
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) return false;
      throw error;
    }
  }

  private async schedule(command: ScheduleCommand): Promise<ScheduleOutcome> {
    try {
      const outcome = await handleCommand(
        this.store,
        paymentStreamName(command.data.paymentId),
        paymentDecider,
        command,
        { metadata: metadataOf(command.context) },
      );
      return outcome.events.length > 0 ? 'scheduled' : 'alreadyScheduled';
    } catch (error) {
      if (error instanceof DomainError && error.code === 'PAYMENT_EXISTS') return 'conflicting';
      throw error;
    }
  }
}

function scheduleCommand(
  programmeId: string,
  period: string,
  beneficiaryId: string,
  amount: string,
  context: LedgerContext,
): ScheduleCommand {
  const paymentId = paymentIdFor(programmeId, period, beneficiaryId);
  return { type: 'SchedulePayment', data: { paymentId, programmeId, period, beneficiaryId, amount }, context };
}
