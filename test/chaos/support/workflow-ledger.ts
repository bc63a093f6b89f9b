import { randomUUID } from 'node:crypto';
import {
  beneficiaryIdFor,
  handleCommand,
  ledgerConfigFrom,
  LedgerContext,
  loadStream,
  metadataOf,
} from '@salur/application';
import { BatchWorkflows } from '@salur/batches';
import { batchDecider, batchStreamName, reservationIdFor } from '@salur/batches/domain';
import { beneficiaryDecider } from '@salur/beneficiaries/domain';
import { EventStore } from '@salur/event-store';
import { paymentDecider, paymentIdFor, paymentStreamName } from '@salur/payments/domain';
import { programmeDecider, programmeStreamName } from '@salur/programmes/domain';

export const programmeId = 'BANTU-UMAK-2026';
export const period = '2026-11';
export const BENEFICIARIES = 4;
/** The key the API under test derives beneficiary ids with (BENEFICIARY_ID_KEY). */
export const ID_KEY = 'crash-test-beneficiary-id-key-0123456789abcdef';

export const ledgerConfig = ledgerConfigFrom({
  BENEFICIARY_ID_KEY: ID_KEY,
  WORKFLOW_INTERVAL: '0',
  WORKFLOW_GRACE: '0',
});

export function contextOf(userId: string, role: LedgerContext['actor']['role'] = 'finance-officer'): LedgerContext {
  return {
    actor: { userId, role },
    now: new Date().toISOString(),
    correlationId: randomUUID(),
    causationId: randomUUID(),
  };
}

const nikOf = (n: number) => `16060145098500${String(n).padStart(2, '0')}`;

/** The payments of the round, in beneficiary order. */
export const paymentIds = Array.from({ length: BENEFICIARIES }, (_, index) =>
  paymentIdFor(programmeId, period, beneficiaryIdFor(ID_KEY, programmeId, nikOf(index + 1))),
);

/** A programme, its beneficiaries and one payment each, waiting in the pool: written through the deciders. */
export async function seedPool(store: EventStore): Promise<void> {
  const officer = contextOf('officer', 'programme-officer');
  await handleCommand(
    store,
    programmeStreamName(programmeId),
    programmeDecider,
    {
      type: 'CreateProgramme',
      data: {
        programmeId,
        code: 'BANTU-UMAK',
        name: 'Bantu Umak',
        fiscalYear: 2026,
        budgetCeiling: '6000000.00',
        benefitAmount: '600000.00',
        currency: 'IDR',
      },
      context: officer,
    },
    { metadata: metadataOf(officer) },
  );
  for (let n = 1; n <= BENEFICIARIES; n++) {
    const beneficiaryId = beneficiaryIdFor(ID_KEY, programmeId, nikOf(n));
    const enrolment = contextOf('enrolment', 'enrolment-officer');
    await handleCommand(
      store,
      `beneficiary-${beneficiaryId}`,
      beneficiaryDecider,
      {
        type: 'EnrolBeneficiary',
        data: {
          beneficiaryId,
          programmeId,
          nik: nikOf(n),
          kk: `16060120221100${String(n).padStart(2, '0')}`,
          name: `PENERIMA ${n}`,
          regionCode: '16.06.01.2001',
          bankAccount: { bankCode: '002', accountNumber: `00190100037830${n}`, accountHolderName: `PENERIMA ${n}` },
        },
        context: enrolment,
      },
      { metadata: metadataOf(enrolment) },
    );
    const paymentId = paymentIdFor(programmeId, period, beneficiaryId);
    await handleCommand(
      store,
      paymentStreamName(paymentId),
      paymentDecider,
      {
        type: 'SchedulePayment',
        data: { paymentId, programmeId, period, beneficiaryId, amount: '600000.00' },
        context: officer,
      },
      { metadata: metadataOf(officer) },
    );
  }
}

/** A batch of these payments (all by default), made by `maker` through the real workflow. */
export async function seedBatch(store: EventStore, ids: readonly string[] = paymentIds): Promise<string> {
  const batchId = randomUUID();
  const workflows = new BatchWorkflows(store, ledgerConfig);
  const lines = [];
  for (const paymentId of ids) {
    const { state } = await loadStream(store, paymentStreamName(paymentId), paymentDecider);
    if (state.status === 'absent') throw new Error(`seed: no payment ${paymentId}`);
    lines.push({ paymentId, beneficiaryId: state.beneficiaryId, amount: state.amount });
  }
  await workflows.create(batchId, { programmeId, period }, lines, contextOf('maker'));
  return batchId;
}

/** The batch approved by one approver (the tier needs one up to Rp 500 million), its budget reserved. */
export async function seedApproval(store: EventStore, batchId: string): Promise<void> {
  const approver = contextOf('approver');
  const { state } = await loadStream(store, batchStreamName(batchId), batchDecider);
  if (state.status !== 'pending') throw new Error(`seed: batch ${batchId} is ${state.status}`);
  await handleCommand(
    store,
    programmeStreamName(programmeId),
    programmeDecider,
    {
      type: 'ReserveBudget',
      data: {
        programmeId,
        reservationId: reservationIdFor(batchId, state.contentHash),
        amount: state.controlSum,
        batchId,
      },
      context: approver,
    },
    { metadata: metadataOf(approver) },
  );
  await handleCommand(
    store,
    batchStreamName(batchId),
    batchDecider,
    { type: 'ApproveBatch', data: { batchId, contentHash: state.contentHash }, context: approver },
    { metadata: metadataOf(approver) },
  );
}

/**
 * The approved batch's pain.001 recorded and submitted, its payments sent `hoursAgo` hours ago
 * (the file itself is not written: nothing here reads it).
 */
export async function seedSubmission(store: EventStore, batchId: string, hoursAgo: number): Promise<void> {
  const bank = {
    ...contextOf('h2h', 'bank-integration'),
    now: new Date(Date.now() - hoursAgo * 3_600_000).toISOString(),
  };
  const { state } = await loadStream(store, batchStreamName(batchId), batchDecider);
  if (state.status !== 'approved') throw new Error(`seed: batch ${batchId} is ${state.status}`);
  const run = (command: Parameters<typeof batchDecider.decide>[0]) =>
    handleCommand(store, batchStreamName(batchId), batchDecider, command, { metadata: metadataOf(bank) });
  await run({
    type: 'RecordBatchFile',
    data: {
      batchId,
      fileName: `${batchId}.xml`,
      format: 'pain001',
      sha256: 'b'.repeat(64),
      count: state.payments.length,
      controlSum: state.controlSum,
    },
    context: bank,
  });
  await run({ type: 'SubmitBatch', data: { batchId }, context: bank });
  for (const line of state.payments) {
    await handleCommand(
      store,
      paymentStreamName(line.paymentId),
      paymentDecider,
      { type: 'MarkPaymentSent', data: { paymentId: line.paymentId, batchId }, context: bank },
      { metadata: metadataOf(bank) },
    );
  }
}
