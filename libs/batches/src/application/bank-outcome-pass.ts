import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import {
  crashPoint,
  domainEventsOf,
  handleCommand,
  LEDGER_CONFIG,
  LedgerConfig,
  LedgerContext,
  loadStream,
  metadataOf,
} from '@salur/application';
import { EVENT_STORE, EventStore, GlobalPosition } from '@salur/event-store';
import { DomainError } from '@salur/kernel';
import { outcomeInBatchFold, PAYMENT_EVENTS, paymentDecider, paymentStreamName } from '@salur/payments/domain';
import { randomUUID } from 'node:crypto';
import { BankOutcomeWatch, BATCH_EVENTS, BatchCommand, batchDecider, BatchState, batchStreamName } from '../domain';
import { CloseBatchHandler } from './batch.handlers';
import { CloseBatchCommand } from './batch.messages';
import { WORKFLOW_ACTOR } from './batch-workflows';

/** Events read per page while catching up with the log. */
const READ_PAGE = 5_000;
/** Payments marked, batches expired, batches settled: at most this many of each per pass; the next takes the rest. */
const MAX_PER_STEP = 5_000;
const HOUR_MS = 3_600_000;

const batchEvent = domainEventsOf(BATCH_EVENTS);
const paymentEvent = domainEventsOf(PAYMENT_EVENTS);

export interface BankOutcomePassResult {
  /** Payments sent longer ago than BANK_OUTCOME_TIMEOUT_HOURS without a final answer, now outcome-unknown. */
  readonly outcomeUnknown: number;
  /** Pending batches past their time-to-live, closed (payments back in the pool, budget released). */
  readonly expired: number;
  /** Submitted batches whose every line has a final outcome, now settled. */
  readonly settled: number;
  /** Steps that failed (logged); the next pass tries them again. */
  readonly failed: number;
}

/**
 * The ledger's scheduled pass (a BullMQ job scheduler runs it where the workers run; tests call
 * `run` with the `now` they choose), in three steps, each of them idempotent:
 *
 * 1. a payment sent `BANK_OUTCOME_TIMEOUT_HOURS` ago with no final answer becomes outcome-unknown
 *    (`MarkOutcomeUnknown` in its stream);
 * 2. a pending batch past its time-to-live expires, through the same path as `POST
 *    /batches/:id/expiry` (CloseBatchHandler: the batch, then its payments back, then its budget);
 * 3. a submitted batch whose lines all have a final outcome is settled (`BatchSettled`), once its
 *    lines' outcomes were read from the payments' own streams.
 *
 * Candidates come from the log (BankOutcomeWatch, caught up from where the last pass stopped);
 * every step is decided again on the streams, so a step already done, or overtaken by a command,
 * changes nothing. A pass cut short (a crash, a bound reached) is finished by the next one: the
 * payments it marked and the closings it started are in the log, and what it did not reach is
 * still a candidate. Acts as the workflows' system actor.
 */
@Injectable()
export class BankOutcomePass implements BeforeApplicationShutdown {
  private readonly logger = new Logger('BankOutcomePass');
  private readonly watch = new BankOutcomeWatch();
  private position: GlobalPosition | undefined;
  private pass: Promise<BankOutcomePassResult> | undefined;
  private stopped = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly closing: CloseBatchHandler,
  ) {}

  /** One pass at a time in a process; a call during a pass waits for that pass and gets its result. */
  run(now = new Date().toISOString()): Promise<BankOutcomePassResult> {
    this.pass ??= this.runOnce(now).finally(() => (this.pass = undefined));
    return this.pass;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.pass?.catch(() => undefined);
  }

  private async runOnce(now: string): Promise<BankOutcomePassResult> {
    await this.catchUp();
    const failures = { count: 0 };
    const outcomeUnknown = await this.markOverdue(now, failures);
    const expired = await this.expirePending(now, failures);
    const settled = await this.settleAnswered(now, failures);
    const result = { outcomeUnknown, expired, settled, failed: failures.count };
    if (outcomeUnknown + expired + settled + failures.count > 0) this.logger.log(JSON.stringify(result));
    return result;
  }

  private async markOverdue(now: string, failures: { count: number }): Promise<number> {
    const timeoutHours = this.config.bankOutcomeTimeoutHours;
    let marked = 0;
    for (const sent of this.watch.overdue(now, timeoutHours * HOUR_MS, MAX_PER_STEP)) {
      if (this.stopped) break;
      const context = this.contextOf(now, `outcome-unknown:${sent.paymentId}`);
      const done = await this.step(`payment ${sent.paymentId}`, failures, () =>
        handleCommand(
          this.store,
          paymentStreamName(sent.paymentId),
          paymentDecider,
          {
            type: 'MarkOutcomeUnknown',
            data: { paymentId: sent.paymentId, batchId: sent.batchId, timeoutHours },
            context,
          },
          { metadata: metadataOf(context) },
        ),
      );
      if (done === undefined || done.events.length === 0) continue;
      marked++;
      // Payment streams written, batch streams not yet: the next pass finds what this one did not reach.
      if (marked === 1) crashPoint('bank-outcome:marked-first');
    }
    return marked;
  }

  private async expirePending(now: string, failures: { count: number }): Promise<number> {
    let expired = 0;
    for (const batchId of this.watch.expired(now, MAX_PER_STEP)) {
      if (this.stopped) break;
      const context = this.contextOf(now, `expiry:${batchId}`);
      // Approved (or closed) since the watch saw it pending: nothing to expire.
      const done = await this.step(
        `batch ${batchId}`,
        failures,
        () => this.closing.execute(new CloseBatchCommand(batchId, { type: 'ExpireBatch' }, context)),
        ['BATCH_NOT_PENDING'],
      );
      if (done) expired++;
    }
    return expired;
  }

  private async settleAnswered(now: string, failures: { count: number }): Promise<number> {
    let settled = 0;
    for (const batchId of this.watch.settleable(MAX_PER_STEP)) {
      if (this.stopped) break;
      const context = this.contextOf(now, `settlement:${batchId}`);
      const done = await this.step(`batch ${batchId}`, failures, () =>
        handleCommand(
          this.store,
          batchStreamName(batchId),
          batchDecider,
          (state) => this.settleCommand(batchId, state, context),
          { metadata: metadataOf(context) },
        ),
      );
      if (done && done.events.length > 0) settled++;
    }
    return settled;
  }

  /** Reads each line's outcome in this batch from its payment's stream; the decider checks they are all final. */
  private async settleCommand(batchId: string, state: BatchState, context: LedgerContext): Promise<BatchCommand> {
    const outcomes = [];
    for (const { paymentId } of state.status === 'submitted' ? state.payments : []) {
      const { state: line } = await loadStream(this.store, paymentStreamName(paymentId), outcomeInBatchFold(batchId));
      outcomes.push({ paymentId, outcome: line.outcome });
    }
    return { type: 'SettleBatch', data: { batchId, outcomes }, context };
  }

  /** Runs one step; a refusal is logged and counted (or, if it means "overtaken", ignored); undefined then. */
  private async step<Result>(
    what: string,
    failures: { count: number },
    run: () => Promise<Result>,
    overtaken: readonly string[] = [],
  ): Promise<Result | undefined> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof DomainError && overtaken.includes(error.code)) return undefined;
      failures.count++;
      this.logger.warn(`${what}: ${(error as Error).message} (the next pass tries again)`);
      return undefined;
    }
  }

  private contextOf(now: string, step: string): LedgerContext {
    return { actor: WORKFLOW_ACTOR, now, correlationId: randomUUID(), causationId: `bank-outcome-pass:${step}` };
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      let read = 0;
      for await (const recorded of this.store.readAll({ from: this.position, maxCount: READ_PAGE })) {
        const event = batchEvent(recorded) ?? paymentEvent(recorded);
        if (event) this.watch.observe(event);
        this.position = recorded.position;
        read++;
      }
      if (read < READ_PAGE || this.stopped) return;
    }
  }
}
