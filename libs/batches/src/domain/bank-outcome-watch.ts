import type { PaymentEvent } from '@salur/payments/domain';
import type { BatchEvent } from './batch.events';

/** A payment sent and not answered yet: when, and in which batch. */
export interface SentPayment {
  readonly paymentId: string;
  readonly batchId: string;
  readonly sentAt: string;
}

/**
 * What the scheduled pass (BankOutcomePass) looks for, read from the log: payments sent and not
 * answered (for the outcome timeout), pending batches and their time-to-live, and submitted
 * batches with the lines that still wait for a final outcome. Pure; the pass feeds it the log
 * once and then only what was written since, and every decision it prompts is taken again by
 * a decider on the streams themselves (overdue, expired, all lines final), so a stale view here
 * costs a refused command, never a wrong fact.
 *
 * Memory holds only what is open: sent payments until their answer (or their outcome is marked
 * unknown), pending and approved batches' lines until they are submitted or closed, and a
 * submitted batch's unanswered lines until it is settled.
 */
export class BankOutcomeWatch {
  private readonly awaitingAnswer = new Map<string, SentPayment>();
  /** Pending batches: their expiry instant. */
  private readonly pendingUntil = new Map<string, string>();
  /** Lines of batches not yet submitted (pending or approved). */
  private readonly linesOf = new Map<string, Set<string>>();
  /** Submitted, not yet settled batches: their lines without a final outcome. */
  private readonly unanswered = new Map<string, Set<string>>();

  observe(event: BatchEvent | PaymentEvent): void {
    switch (event.type) {
      case 'BatchCreated':
        this.linesOf.set(event.data.batchId, new Set(event.data.payments.map((line) => line.paymentId)));
        this.pendingUntil.set(event.data.batchId, event.data.expiresAt);
        return;
      case 'BatchChanged':
        for (const paymentId of event.data.removedPaymentIds) this.linesOf.get(event.data.batchId)?.delete(paymentId);
        return;
      case 'BatchApproved':
        this.pendingUntil.delete(event.data.batchId);
        return;
      case 'BatchSubmitted': {
        const lines = this.linesOf.get(event.data.batchId);
        this.forget(event.data.batchId);
        if (lines) this.unanswered.set(event.data.batchId, lines);
        return;
      }
      case 'BatchRejected':
      case 'BatchCancelled':
      case 'BatchExpired':
      case 'BatchCreationAbandoned':
      case 'BatchSettled':
        this.forget(event.data.batchId);
        return;
      case 'PaymentSentToBank':
        this.awaitingAnswer.set(event.data.paymentId, {
          paymentId: event.data.paymentId,
          batchId: event.data.batchId,
          sentAt: event.data.at,
        });
        return;
      case 'PaymentOutcomeUnknown':
        this.answered(event.data.paymentId, event.data.batchId, false);
        return;
      case 'PaymentCredited':
      case 'PaymentRejected':
      case 'PaymentReturned':
      case 'PaymentOutcomeDecided':
        this.answered(event.data.paymentId, event.data.batchId, true);
        return;
      default:
        return;
    }
  }

  /** Payments sent at least `timeoutMs` before `now` with no answer, oldest first, at most `limit`. */
  overdue(now: string, timeoutMs: number, limit: number): SentPayment[] {
    const dueBefore = Date.parse(now) - timeoutMs;
    const overdue = [...this.awaitingAnswer.values()].filter((sent) => Date.parse(sent.sentAt) <= dueBefore);
    return overdue.sort((left, right) => left.sentAt.localeCompare(right.sentAt)).slice(0, limit);
  }

  /** Pending batches whose time-to-live ran out by `now`, at most `limit`. */
  expired(now: string, limit: number): string[] {
    const expired = [...this.pendingUntil].filter(([, expiresAt]) => expiresAt <= now).map(([batchId]) => batchId);
    return expired.slice(0, limit);
  }

  /** Submitted batches whose every line has a final outcome, at most `limit`. */
  settleable(limit: number): string[] {
    const done = [...this.unanswered].filter(([, lines]) => lines.size === 0).map(([batchId]) => batchId);
    return done.slice(0, limit);
  }

  /** The answer for that payment in that batch came (final or not): no longer awaited there. */
  private answered(paymentId: string, batchId: string, final: boolean): void {
    if (this.awaitingAnswer.get(paymentId)?.batchId === batchId) this.awaitingAnswer.delete(paymentId);
    if (final) this.unanswered.get(batchId)?.delete(paymentId);
  }

  private forget(batchId: string): void {
    this.pendingUntil.delete(batchId);
    this.linesOf.delete(batchId);
    this.unanswered.delete(batchId);
  }
}
