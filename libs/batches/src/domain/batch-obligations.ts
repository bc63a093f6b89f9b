import { amountOf, formatAmount, isEventOf, ZERO, type Amount } from '@salur/kernel';
import { PAYMENT_EVENTS } from '@salur/payments/domain';
import { PROGRAMME_EVENTS } from '@salur/programmes/domain';
import { BATCH_EVENTS } from './batch.events';
import { reservationIdFor } from './batch-reservation';

/**
 * What the batch workflows still owe, read from the log: a batch that writes more than its own
 * stream (claims in payment streams, reservations in the programme's) records each step as an
 * event, so whatever a crash interrupted shows up here as an obligation. The service that acts
 * on them (BatchWorkflows) and the invariant checker (a stuck obligation is a violation) share
 * this one fold.
 *
 * - finish-creation: a batch started and never created nor abandoned.
 * - give-back: a payment claimed by a batch that does not hold it (closed, abandoned, changed
 *   without it, or never recorded at all): the payment must return to the pool.
 * - release: budget reserved for content no approved batch holds (a closed batch, a superseded or
 *   unlanded approval), or for a payment the bank rejected or returned (or two officers decided
 *   was not credited, reported as a rejection): its amount comes back.
 */
export type BatchObligation =
  | { readonly kind: 'finish-creation'; readonly batchId: string; readonly since: string }
  | {
      readonly kind: 'give-back';
      readonly batchId: string;
      readonly paymentId: string;
      readonly why: 'batch-closed' | 'batch-abandoned' | 'not-listed' | 'batch-missing';
      readonly since: string;
    }
  | {
      readonly kind: 'release';
      readonly programmeId: string;
      readonly batchId: string;
      readonly reservationId: string;
      readonly releaseId: string;
      readonly amount: string;
      readonly why: 'batch-closed' | 'not-approved' | 'payment-rejected' | 'payment-returned';
      readonly since: string;
    };

/** An event as the fold reads it: type, data and when it happened. */
export interface ObservedEvent {
  readonly type: string;
  readonly data: object;
  /** The recording instant, for events whose data has no `at`. */
  readonly recordedAt?: string;
}

type BatchStatus = 'forming' | 'abandoned' | 'pending' | 'approved' | 'submitted' | 'closed';

interface TrackedBatch {
  status: BatchStatus;
  programmeId: string;
  /** The payments the batch lists, with their amounts. */
  members: Map<string, string>;
  contentHash: string;
  /** The content the approval reserved budget for; undefined until approved. */
  approvedContentHash?: string;
  since: string;
}

interface TrackedReservation {
  readonly programmeId: string;
  readonly batchId: string;
  held: Amount;
  readonly releaseIds: Set<string>;
  since: string;
}

/**
 * Only payments that may owe something are kept: claimed and not yet sent, or refused by the bank
 * with their budget not yet released. A national round's millions of settled payments cost nothing.
 */
interface TrackedPayment {
  /** The batch holding the claim while the payment is batched (not yet sent). */
  claimedBy?: string;
  claimedAt?: string;
  /** The batch whose bank answer took the payment back out (rejected or returned). */
  refused?: { readonly batchId: string; readonly why: 'payment-rejected' | 'payment-returned'; readonly at: string };
}

/**
 * The release of one payment's share of its batch's reservation: one id, so a retry releases it
 * once. Payment and batch name the share (a payment sits in a batch's approved content once);
 * the reservation id itself would make it longer than an identifier may be (128).
 */
export function paymentReleaseIdOf(batchId: string, paymentId: string): string {
  return `${paymentId}:${batchId}:released`;
}

/** The release of what a closed or superseded reservation still holds. */
export function reservationReleaseIdOf(reservationId: string): string {
  return `${reservationId}:released`;
}

export class BatchObligations {
  private readonly batches = new Map<string, TrackedBatch>();
  private readonly payments = new Map<string, TrackedPayment>();
  private readonly reservations = new Map<string, TrackedReservation>();

  observe(event: ObservedEvent): void {
    if (isEventOf(BATCH_EVENTS, event)) this.observeBatch(event);
    else if (isEventOf(PAYMENT_EVENTS, event)) this.observePayment(event);
    else if (isEventOf(PROGRAMME_EVENTS, event)) this.observeProgramme(event);
  }

  /** Everything owed now, oldest obligations first within each kind. */
  owed(): BatchObligation[] {
    const owed: BatchObligation[] = [];
    for (const [batchId, batch] of this.batches) {
      if (batch.status === 'forming') owed.push({ kind: 'finish-creation', batchId, since: batch.since });
    }
    for (const [paymentId, payment] of this.payments) {
      const give = this.giveBackOf(paymentId, payment);
      if (give) owed.push(give);
      const release = this.paymentReleaseOf(paymentId, payment);
      if (release) owed.push(release);
    }
    for (const [reservationId, reservation] of this.reservations) {
      const release = this.reservationReleaseOf(reservationId, reservation);
      if (release) owed.push(release);
    }
    return owed;
  }

  /** Approved batches with no budget ever reserved for their approved content (a budget rule broken). */
  unreservedApprovals(): string[] {
    const unreserved: string[] = [];
    for (const [batchId, batch] of this.batches) {
      if (batch.approvedContentHash === undefined) continue;
      if (!this.reservations.has(reservationIdFor(batchId, batch.approvedContentHash))) unreserved.push(batchId);
    }
    return unreserved;
  }

  /** What a programme's reservations hold now, by programme (reserved − released). */
  heldByProgramme(): Map<string, Amount> {
    const held = new Map<string, Amount>();
    for (const reservation of this.reservations.values()) {
      held.set(reservation.programmeId, (held.get(reservation.programmeId) ?? ZERO).plus(reservation.held));
    }
    return held;
  }

  private observeBatch(event: { readonly type: string; readonly data: object }): void {
    const data = event.data as { batchId: string; at?: string; generatedAt?: string };
    const at = data.at ?? data.generatedAt ?? '';
    const batch = this.batches.get(data.batchId);
    switch (event.type) {
      case 'BatchCreationStarted':
      case 'BatchCreated': {
        const { programmeId, payments, contentHash } = event.data as {
          programmeId: string;
          payments: Array<{ paymentId: string; amount: string }>;
          contentHash: string;
        };
        const status = event.type === 'BatchCreated' ? 'pending' : 'forming';
        const members = new Map(payments.map((line) => [line.paymentId, line.amount]));
        this.batches.set(data.batchId, { status, programmeId, members, contentHash, since: at });
        return;
      }
      case 'BatchCreationAbandoned':
        if (batch) Object.assign(batch, { status: 'abandoned', since: at });
        return;
      case 'BatchChanged': {
        if (!batch) return;
        const { removedPaymentIds, contentHash } = event.data as { removedPaymentIds: string[]; contentHash: string };
        for (const paymentId of removedPaymentIds) batch.members.delete(paymentId);
        Object.assign(batch, { contentHash, since: at });
        return;
      }
      case 'BatchApproved':
        if (batch) Object.assign(batch, { status: 'approved', approvedContentHash: batch.contentHash, since: at });
        return;
      case 'BatchSubmitted':
        if (batch) Object.assign(batch, { status: 'submitted', since: at });
        return;
      case 'BatchRejected':
      case 'BatchCancelled':
      case 'BatchExpired':
        if (batch) Object.assign(batch, { status: 'closed', since: at });
        return;
      default:
        return;
    }
  }

  private observePayment(event: { type: string; data: object }): void {
    const data = event.data as { paymentId: string; batchId?: string; at: string };
    const payment = this.payments.get(data.paymentId) ?? {};
    switch (event.type) {
      case 'PaymentBatched':
        this.payments.set(data.paymentId, { claimedBy: data.batchId, claimedAt: data.at });
        return;
      case 'PaymentUnbatched':
      case 'PaymentSentToBank':
        this.keep(data.paymentId, { ...payment, claimedBy: undefined, claimedAt: undefined });
        return;
      case 'PaymentRejected':
      case 'PaymentReturned': {
        const why = event.type === 'PaymentRejected' ? 'payment-rejected' : 'payment-returned';
        this.keep(data.paymentId, { ...payment, refused: { batchId: String(data.batchId), why, at: data.at } });
        return;
      }
      case 'PaymentOutcomeDecided': {
        // Two officers decided the money never left: its share comes back as after a rejection.
        if ((event.data as { outcome?: string }).outcome !== 'not-credited') return;
        const refused = { batchId: String(data.batchId), why: 'payment-rejected' as const, at: data.at };
        this.keep(data.paymentId, { ...payment, refused });
        return;
      }
      default:
        return;
    }
  }

  private keep(paymentId: string, payment: TrackedPayment): void {
    if (payment.claimedBy === undefined && payment.refused === undefined) this.payments.delete(paymentId);
    else this.payments.set(paymentId, payment);
  }

  private observeProgramme(event: { type: string; data: object }): void {
    if (event.type === 'BudgetReserved') {
      const { programmeId, reservationId, batchId, amount, at } = event.data as Record<string, string>;
      const known = this.reservations.get(reservationId);
      if (known) known.held = known.held.plus(amountOf(amount));
      else
        this.reservations.set(reservationId, {
          programmeId,
          batchId,
          held: amountOf(amount),
          releaseIds: new Set(),
          since: at,
        });
    } else if (event.type === 'BudgetReleased') {
      const { reservationId, releaseId, amount } = event.data as Record<string, string>;
      const reservation = this.reservations.get(reservationId);
      if (!reservation) return;
      reservation.held = reservation.held.minus(amountOf(amount));
      reservation.releaseIds.add(releaseId);
      // A payment's share released: the payment owes nothing more (see paymentReleaseIdOf).
      const shareSuffix = `:${reservation.batchId}:released`;
      const paymentId = releaseId.endsWith(shareSuffix) ? releaseId.slice(0, -shareSuffix.length) : '';
      const payment = paymentId ? this.payments.get(paymentId) : undefined;
      if (payment?.refused?.batchId === reservation.batchId) this.keep(paymentId, { ...payment, refused: undefined });
    }
  }

  private giveBackOf(paymentId: string, payment: TrackedPayment): BatchObligation | undefined {
    const batchId = payment.claimedBy;
    if (batchId === undefined) return undefined;
    const batch = this.batches.get(batchId);
    const since = payment.claimedAt ?? '';
    if (!batch) return { kind: 'give-back', batchId, paymentId, why: 'batch-missing', since };
    if (batch.status === 'abandoned')
      return { kind: 'give-back', batchId, paymentId, why: 'batch-abandoned', since: batch.since };
    if (batch.status === 'closed')
      return { kind: 'give-back', batchId, paymentId, why: 'batch-closed', since: batch.since };
    if (batch.status !== 'forming' && !batch.members.has(paymentId)) {
      return { kind: 'give-back', batchId, paymentId, why: 'not-listed', since: batch.since };
    }
    return undefined;
  }

  private paymentReleaseOf(paymentId: string, payment: TrackedPayment): BatchObligation | undefined {
    if (!payment.refused) return undefined;
    const batch = this.batches.get(payment.refused.batchId);
    if (!batch?.approvedContentHash) return undefined;
    const reservationId = reservationIdFor(payment.refused.batchId, batch.approvedContentHash);
    const reservation = this.reservations.get(reservationId);
    const releaseId = paymentReleaseIdOf(payment.refused.batchId, paymentId);
    const amount = batch.members.get(paymentId);
    if (!reservation || amount === undefined || reservation.releaseIds.has(releaseId)) return undefined;
    if (reservation.held.lessThan(amountOf(amount))) return undefined;
    return {
      kind: 'release',
      programmeId: reservation.programmeId,
      batchId: reservation.batchId,
      reservationId,
      releaseId,
      amount,
      why: payment.refused.why,
      since: payment.refused.at,
    };
  }

  private reservationReleaseOf(reservationId: string, reservation: TrackedReservation): BatchObligation | undefined {
    if (!reservation.held.greaterThan(0)) return undefined;
    const batch = this.batches.get(reservation.batchId);
    const approved =
      batch?.approvedContentHash !== undefined &&
      reservationIdFor(reservation.batchId, batch.approvedContentHash) === reservationId;
    const closed = batch?.status === 'closed' || batch?.status === 'abandoned';
    if (approved && !closed) return undefined;
    return {
      kind: 'release',
      programmeId: reservation.programmeId,
      batchId: reservation.batchId,
      reservationId,
      releaseId: reservationReleaseIdOf(reservationId),
      amount: formatAmount(reservation.held),
      why: closed ? 'batch-closed' : 'not-approved',
      since: closed && batch ? batch.since : reservation.since,
    };
  }
}
