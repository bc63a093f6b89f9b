import { randomUUID } from 'node:crypto';
import { handleCommand, LedgerContext, metadataOf } from '@salur/application';
import { batchDecider, batchStreamName } from '@salur/batches/domain';
import type { EventStore } from '@salur/event-store';
import { paymentDecider, paymentStreamName } from '@salur/payments/domain';
import type { PaymentCommand } from '@salur/payments/domain';
import { Caller, enrolment, LedgerApi } from '../../ledger/ledger-api';

export const PROGRAMME_ID = 'BANTU-UMAK-2026';
export const NOVEMBER = '2026-11';
export const DECEMBER = '2026-12';
/** Beneficiary 6 lives in another regency, with a family card of their own. */
export const OTHER_REGION = '16.71.03.1001';
export const OTHER_KK = '1671030101100006';

/** What the round left behind, for the assertions. */
export interface FullRound {
  readonly beneficiaryIds: readonly string[];
  /** November's payments of beneficiaries 1..6, index 0..5. */
  readonly payments: readonly string[];
  readonly december: string;
  readonly firstBatch: string;
  readonly secondBatch: string;
  /** Head of the log when the second batch was approved, before it was sent. */
  readonly secondBatchApprovedAt: number;
  /** Head of the log after the first batch's results, before any correction. */
  readonly afterFirstResults: number;
  readonly head: number;
}

/**
 * A whole round with every kind of outcome. Six beneficiaries are paid Rp 600,000 for November
 * in one batch, and the bank answers: 1 credited; 2 rejected (AC01), then reissued to a fixed
 * account and credited in a second batch; 3 credited, returned (AC04), reissued, and still in
 * flight in the second batch; 4 credited short by Rp 2,500 (a deduction); 5 credited and then
 * reversed under four eyes; 6 rejected and not yet reissued. Beneficiary 1 also has December
 * scheduled. The first batch gets its bank file and a reconciliation exception about payment 6.
 *
 * Commands go through HTTP where the API has them; the bank's answers, which have no endpoint
 * yet, go through the payment decider with handleCommand, as the bank-integration job will.
 */
export async function runFullRound(ledger: LedgerApi): Promise<FullRound> {
  const programmeOfficer = ledger.as('programme-officer', 'po-1');
  const enrolmentOfficer = ledger.as('enrolment-officer', 'eo-1');
  const maker = ledger.as('finance-officer', 'fo-maker');
  const approver = ledger.as('finance-officer', 'fo-approver');
  const secondOfficer = ledger.as('finance-officer', 'fo-second');

  await ok(
    programmeOfficer.post('/programmes', {
      code: 'BANTU-UMAK',
      name: 'Bantuan Langsung Tunai',
      fiscalYear: 2026,
      budgetCeiling: '100000000.00',
      benefitAmount: '600000.00',
      currency: 'IDR',
    }),
  );
  const beneficiaryIds: string[] = [];
  for (const serial of [1, 2, 3, 4, 5, 6]) {
    const person = enrolment(serial);
    const body = serial === 6 ? { ...person, regionCode: OTHER_REGION, kk: OTHER_KK } : person;
    beneficiaryIds.push(await idOf(enrolmentOfficer.post(`/programmes/${PROGRAMME_ID}/beneficiaries`, body)));
  }
  const payments: string[] = [];
  for (const beneficiaryId of beneficiaryIds) {
    payments.push(await idOf(maker.post('/payments', { programmeId: PROGRAMME_ID, period: NOVEMBER, beneficiaryId })));
  }
  const december = await idOf(
    maker.post('/payments', { programmeId: PROGRAMME_ID, period: DECEMBER, beneficiaryId: beneficiaryIds[0] }),
  );

  const firstBatch = await approvedBatch(maker, approver, payments);
  const bank = bankJob(ledger.store);
  await bank.batch(firstBatch, 'RecordBatchFile', {
    fileName: 'bantu-umak-2026-11-1.xml',
    format: 'pain001',
    sha256: 'a'.repeat(64),
    count: 6,
    controlSum: '3600000.00',
  });
  await bank.batch(firstBatch, 'SubmitBatch', {});
  for (const paymentId of payments) await bank.payment({ type: 'MarkPaymentSent', paymentId, batchId: firstBatch });
  const credit = (n: number, creditedAmount = '600000.00') =>
    bank.payment({
      type: 'RecordCredit',
      paymentId: payments[n - 1],
      batchId: firstBatch,
      creditedAmount,
      bankReference: `REF-1-${n}`,
      valueDate: '2026-11-20',
    });
  await credit(1);
  await bank.payment({ type: 'RecordRejection', paymentId: payments[1], batchId: firstBatch, reasonCode: 'AC01' });
  await credit(3);
  await bank.payment({
    type: 'RecordReturn',
    paymentId: payments[2],
    batchId: firstBatch,
    reasonCode: 'AC04',
    returnedAmount: '600000.00',
    bankReference: 'RET-1-3',
  });
  await credit(4, '597500.00');
  await credit(5);
  await bank.payment({ type: 'RecordRejection', paymentId: payments[5], batchId: firstBatch, reasonCode: 'AC04' });
  await ledger.store.append(`bank-file-${'b'.repeat(64)}`, [
    {
      id: randomUUID(),
      type: 'BankResultException',
      data: {
        sha256: 'b'.repeat(64),
        line: 7,
        endToEndId: 'E2E-6',
        paymentId: payments[5],
        outcome: 'rejected',
        reason: 'DUPLICATE',
        detail: 'the same rejection twice',
        amount: '600000.00',
        bankReference: 'DUP-6',
        at: '2026-11-21T00:00:00.000Z',
      },
      metadata: bank.metadata,
    },
  ]);
  const afterFirstResults = (await ledger.store.headPosition()) ?? 0;

  // Corrections: a reversal under four eyes, two accounts fixed and their payments reissued.
  await ok(maker.post(`/payments/${payments[4]}/reversal-request`, { reason: 'credited to a deceased beneficiary' }));
  await ok(secondOfficer.post(`/payments/${payments[4]}/reversal-approval`));
  for (const n of [2, 3]) {
    const account = { bankCode: '009', accountNumber: `77700000000000${n}`, accountHolderName: `SITI AMINAH ${n}` };
    await ok(
      enrolmentOfficer.post(`/beneficiaries/${beneficiaryIds[n - 1]}/bank-account`, {
        bankAccount: account,
        reason: 'account closed, new one opened',
      }),
    );
    await ok(maker.post(`/payments/${payments[n - 1]}/reissue`));
  }
  const secondBatch = await approvedBatch(maker, approver, [payments[1], payments[2]]);
  const secondBatchApprovedAt = (await ledger.store.headPosition()) ?? 0;
  for (const paymentId of [payments[1], payments[2]]) {
    await bank.payment({ type: 'MarkPaymentSent', paymentId, batchId: secondBatch });
  }
  await bank.payment({
    type: 'RecordCredit',
    paymentId: payments[1],
    batchId: secondBatch,
    creditedAmount: '600000.00',
    bankReference: 'REF-2-2',
    valueDate: '2026-11-28',
  });
  const head = (await ledger.store.headPosition()) ?? 0;
  return {
    beneficiaryIds,
    payments,
    december,
    firstBatch,
    secondBatch,
    secondBatchApprovedAt,
    afterFirstResults,
    head,
  };
}

async function approvedBatch(maker: Caller, approver: Caller, paymentIds: readonly string[]): Promise<string> {
  const batch = await ok(maker.post('/batches', { programmeId: PROGRAMME_ID, period: NOVEMBER, paymentIds }));
  await ok(approver.post(`/batches/${String(batch.id)}/approvals`, { contentHash: batch.contentHash }));
  return String(batch.id);
}

type PaymentCommandData = { type: PaymentCommand['type'] } & Record<string, unknown>;

/** The bank-integration job's commands, decided by the payment and batch deciders directly. */
function bankJob(store: EventStore) {
  const context: LedgerContext = {
    actor: { userId: 'bank-job', role: 'bank-integration' },
    now: new Date().toISOString(),
    correlationId: 'bank-results-2026-11',
    causationId: 'bank-results-2026-11',
  };
  const metadata = metadataOf(context);
  return {
    metadata,
    async payment({ type, ...data }: PaymentCommandData): Promise<void> {
      const command = {
        type,
        data,
        context: { ...context, now: new Date().toISOString() },
      } as unknown as PaymentCommand;
      const outcome = await handleCommand(store, paymentStreamName(String(data.paymentId)), paymentDecider, command, {
        metadata,
      });
      if (outcome.events.length === 0) throw new Error(`${type} changed nothing`);
    },
    async batch(batchId: string, type: 'RecordBatchFile' | 'SubmitBatch', data: Record<string, unknown>) {
      const command = { type, data: { batchId, ...data }, context } as Parameters<typeof batchDecider.decide>[0];
      await handleCommand(store, batchStreamName(batchId), batchDecider, command, { metadata });
    },
  };
}

async function ok(
  request: Promise<{ status: number; body: Record<string, unknown> }>,
): Promise<Record<string, unknown>> {
  const response = await request;
  if (response.status >= 300) throw new Error(`${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

async function idOf(request: Promise<{ status: number; body: Record<string, unknown> }>): Promise<string> {
  return String((await ok(request)).id);
}
