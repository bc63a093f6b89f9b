import type { EventStore, RecordedEvent } from '@salur/event-store';
import { personNumberOf } from './people';

/** Beneficiaries whose payment the bank rejected or returned, with the number of the person behind each. */
export async function refusedBeneficiaries(store: EventStore): Promise<Map<string, number>> {
  const beneficiaryOfPayment = new Map<string, string>();
  const personOf = new Map<string, number>();
  const refused = new Map<string, number>();
  for await (const event of store.readAll()) {
    const { data } = event;
    if (event.type === 'BeneficiaryEnrolled') {
      const n = personNumberOf(String(data.name));
      if (n !== undefined) personOf.set(String(data.beneficiaryId), n);
    }
    if (event.type === 'PaymentScheduled') beneficiaryOfPayment.set(String(data.paymentId), String(data.beneficiaryId));
    if (event.type === 'PaymentRejected' || event.type === 'PaymentReturned') {
      const beneficiaryId = beneficiaryOfPayment.get(String(data.paymentId));
      const n = beneficiaryId === undefined ? undefined : personOf.get(beneficiaryId);
      if (beneficiaryId !== undefined && n !== undefined) refused.set(beneficiaryId, n);
    }
  }
  return refused;
}

export type PaymentStatus = 'credited' | 'rejected' | 'returned' | 'outstanding';

export interface PaymentOutcome {
  status: PaymentStatus;
  readonly amountCents: bigint;
  reissued: boolean;
}

/** Each payment's last outcome, from the whole log, with what the closing table needs besides. */
export interface RoundOutcome {
  readonly payments: ReadonlyMap<string, PaymentOutcome>;
  readonly deductedCents: bigint;
  readonly exceptions: number;
  readonly events: number;
}

export async function roundOutcome(store: EventStore): Promise<RoundOutcome> {
  const payments = new Map<string, PaymentOutcome>();
  let deductedCents = 0n;
  let exceptions = 0;
  let events = 0;
  for await (const event of store.readAll()) {
    events++;
    deductedCents += foldPayment(payments, event);
    if (event.type === 'BankResultException') exceptions++;
  }
  return { payments, deductedCents, exceptions, events };
}

/** Applies one event to the payments' outcomes; returns what a bank deducted in it. */
function foldPayment(payments: Map<string, PaymentOutcome>, event: RecordedEvent): bigint {
  const { data } = event;
  const payment = payments.get(String(data.paymentId));
  switch (event.type) {
    case 'PaymentScheduled':
      payments.set(String(data.paymentId), {
        status: 'outstanding',
        amountCents: centsOf(String(data.amount)),
        reissued: false,
      });
      return 0n;
    case 'PaymentCredited':
      if (payment) payment.status = 'credited';
      return centsOf(String(data.deductedAmount ?? '0'));
    case 'PaymentRejected':
      if (payment) payment.status = 'rejected';
      return 0n;
    case 'PaymentReturned':
      if (payment) payment.status = 'returned';
      return 0n;
    case 'PaymentReissued':
      if (payment) Object.assign(payment, { status: 'outstanding', reissued: true });
      return 0n;
    default:
      return 0n;
  }
}

/** The payment worth showing in a proof: one the bank refused, fixed and then credited, else any credited one. */
export function showcasePayment(outcome: RoundOutcome): string | undefined {
  const credited = [...outcome.payments].filter(([, payment]) => payment.status === 'credited');
  return (credited.find(([, payment]) => payment.reissued) ?? credited[0])?.[0];
}

/** "600000.00" → 60000000n: amounts are decimal strings with at most two decimals, never below zero here. */
export function centsOf(amount: string): bigint {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(amount);
  if (!match) throw new Error(`'${amount}' is not an amount in rupiah`);
  return BigInt(match[1]) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
}

/** 60000000n → "Rp 600,000.00" */
export function rupiah(cents: bigint): string {
  const whole = (cents / 100n).toLocaleString('en');
  return `Rp ${whole}.${String(cents % 100n).padStart(2, '0')}`;
}
