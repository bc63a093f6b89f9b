import { createHash, randomUUID } from 'node:crypto';
import { contentHashV2Of, type BatchContentLine, type BatchEvent } from '@salur/batches/domain';
import type { BankAccountChanged, BeneficiaryEnrolled } from '@salur/beneficiaries/domain';
import type { EventStore, NewEvent } from '@salur/event-store';
import { fold, type CommandContext } from '@salur/kernel';
import {
  BankAccountSnapshot,
  PaymentCommand,
  paymentDecider,
  PaymentEvent,
  paymentIdFor,
  paymentStreamName,
} from '@salur/payments/domain';

/**
 * Writes realistic ledger histories into a store for the audit-log tests: payment events come
 * from the payment decider itself, batch and beneficiary events have their capabilities' types,
 * and other streams' events are interleaved so that leaf indexes and positions are not trivially
 * aligned. A round enrols each beneficiary it pays who is not enrolled yet, and batches each
 * payment to the account on the beneficiary's record, as the batch builder does.
 */
export type Outcome = { readonly credited: string } | { readonly rejected: string } | 'sent' | 'batched';

export interface RoundPayment {
  readonly beneficiaryId: string;
  readonly amount: string;
  readonly outcome: Outcome;
}

export interface RoundOptions {
  readonly period?: string;
  /** Who approves the batch (BatchApproved.approverIds); one approver other than the maker by default, none: no approval event. */
  readonly approverIds?: readonly string[];
  /** The account every payment is batched to; by default each beneficiary's account on record. */
  readonly account?: BankAccountSnapshot;
  /**
   * 'v2' (the default, as the ledger writes batches now): lines bound by the beneficiary's record
   * revision and the salur-batch/v2 content hash, the log keeping their root. 'v1': the lines and
   * hash of batches written before, kept whole in the log.
   */
  readonly batchFormat?: 'v1' | 'v2';
  /** v2: the lines name this record revision instead of the one the claims read (a forged or buggy batch). */
  readonly lineRevision?: number;
  /** Lines of other payments (no streams of their own) the batch also holds: a large batch, for proof sizes. */
  readonly otherLines?: number;
}

export interface RoundResult {
  readonly batchId: string;
  readonly paymentIds: readonly string[];
  /** The pain.001 whose SHA-256 the BatchFileGenerated event records. */
  readonly bankFile: string;
}

export const PROGRAMME = 'BANTU-UMAK-2026';
export const MAKER = 'fo-2';
/** The programme's policy: one approver up to Rp 500 million, two above. */
export const POLICY_TIERS = [
  { upTo: '500000000.00', approvers: 1 },
  { upTo: null, approvers: 2 },
];
const programmesDeclared = new WeakSet<EventStore>();
export const ACCOUNT = { bankCode: '002', accountNumber: '001901000378301', accountHolderName: 'SITI AMINAH' };
let clock = Date.parse('2026-11-02T08:00:00.000Z');

function context(userId: string): CommandContext {
  clock += 1_000;
  return { actor: { userId, role: 'finance-officer' }, now: new Date(clock).toISOString() };
}

function metadata(userId: string) {
  return { actor: { userId, role: 'finance-officer' }, correlationId: randomUUID(), schemaVersion: 1 };
}

/** Decides a payment command against the stream's current events and appends what it decides. */
async function decidePayment(
  store: EventStore,
  paymentId: string,
  command: (ctx: CommandContext) => PaymentCommand,
): Promise<void> {
  const stream = paymentStreamName(paymentId);
  const history: PaymentEvent[] = [];
  for await (const event of store.readStream(stream))
    history.push({ type: event.type, data: event.data } as PaymentEvent);
  const events = paymentDecider.decide(command(context('fo-1')), fold(paymentDecider, history));
  if (events.length === 0) return;
  await store.append(
    stream,
    events.map((event) => toNew(event, 'fo-1')),
    { expectedRevision: history.length === 0 ? 'no_stream' : history.length - 1 },
  );
}

async function appendBatch(store: EventStore, batchId: string, events: BatchEvent[]): Promise<void> {
  await store.append(
    `batch-${batchId}`,
    events.map((event) => toNew(event, 'fo-2')),
  );
}

function toNew(event: { type: string; data: object }, userId: string): NewEvent {
  return { id: randomUUID(), type: event.type, data: event.data as NewEvent['data'], metadata: metadata(userId) };
}

/** An event of some other aggregate: programmes, enrolments, idempotency records. */
export async function appendNoise(store: EventStore, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const beneficiaryId = randomUUID();
    await store.append(`beneficiary-${beneficiaryId}`, [
      toNew(
        {
          type: 'BeneficiaryEnrolled',
          data: {
            beneficiaryId,
            name: `SITI ${i}`,
            nik: `160601450985${String(i).padStart(4, '0')}`,
            regionCode: '16.06.01.2001',
          },
        },
        'eo-1',
      ),
    ]);
  }
}

/** Enrols the beneficiary with `account`, unless their stream exists (enrolled by the test itself). */
export async function enrol(store: EventStore, beneficiaryId: string, account = ACCOUNT): Promise<void> {
  for await (const _ of store.readStream(`beneficiary-${beneficiaryId}`, { maxCount: 1 })) return;
  const serial = String(parseInt(beneficiaryId.slice(0, 8), 16) % 10_000).padStart(4, '0');
  const enrolled: BeneficiaryEnrolled = {
    type: 'BeneficiaryEnrolled',
    data: {
      beneficiaryId,
      programmeId: PROGRAMME,
      nik: `160601450985${serial}`,
      kk: `160601010190${serial}`,
      name: 'SITI AMINAH',
      regionCode: '16.06.01.2001',
      bankAccount: account,
      enrolledBy: 'eo-1',
      at: context('eo-1').now,
    },
  };
  await store.append(`beneficiary-${beneficiaryId}`, [toNew(enrolled, 'eo-1')], { expectedRevision: 'no_stream' });
}

/** The account the beneficiary's record holds now: their enrolment's, or their latest change's. */
export async function accountOnRecord(store: EventStore, beneficiaryId: string): Promise<BankAccountSnapshot> {
  return (await recordOf(store, beneficiaryId)).account;
}

/** The account on the beneficiary's record and the record's revision now, as a claim reads them. */
async function recordOf(
  store: EventStore,
  beneficiaryId: string,
): Promise<{ account: BankAccountSnapshot; revision: number }> {
  let account: BankAccountSnapshot | undefined;
  let revision = -1;
  for await (const event of store.readStream(`beneficiary-${beneficiaryId}`)) {
    revision = event.revision;
    if (event.type === 'BeneficiaryEnrolled' || event.type === 'BankAccountChanged')
      account = event.data.bankAccount as unknown as BankAccountSnapshot;
  }
  if (!account) throw new Error(`beneficiary ${beneficiaryId} has no account on record`);
  return { account, revision };
}

/** An enrolment officer changes the account on the beneficiary's record (after a bank refused it). */
export async function changeAccount(
  store: EventStore,
  beneficiaryId: string,
  account: BankAccountSnapshot,
): Promise<void> {
  const changed: BankAccountChanged = {
    type: 'BankAccountChanged',
    data: {
      beneficiaryId,
      programmeId: PROGRAMME,
      previousBankAccount: await accountOnRecord(store, beneficiaryId),
      bankAccount: account,
      reason: 'the bank closed the old account (AC04)',
      changedBy: 'eo-1',
      at: context('eo-1').now,
    },
  };
  await store.append(`beneficiary-${beneficiaryId}`, [toNew(changed, 'eo-1')]);
}

/** A finance officer reissues a refused payment to `account`, through the payment decider. */
export async function reissuePayment(
  store: EventStore,
  paymentId: string,
  account: BankAccountSnapshot,
): Promise<void> {
  await decidePayment(store, paymentId, (ctx) => ({
    type: 'ReissuePayment',
    data: { paymentId, account },
    context: ctx,
  }));
}

/** The programme's approval policy, once per store: what an inspector checks four eyes against. */
export async function declarePolicy(store: EventStore, tiers: ReadonlyArray<object> = POLICY_TIERS): Promise<void> {
  programmesDeclared.add(store);
  await store.append(`programme-${PROGRAMME}`, [
    toNew(
      {
        type: 'ApprovalPolicyDeclared',
        data: { programmeId: PROGRAMME, tiers, declaredBy: 'po-1', at: context('po-1').now },
      },
      'po-1',
    ),
  ]);
}

/** One disbursement round: schedule, batch, approve, bank file, submit, send, and the bank's answers. */
export async function recordRound(
  store: EventStore,
  payments: readonly RoundPayment[],
  periodOrOptions: RoundOptions | string = {},
): Promise<RoundResult> {
  const options = typeof periodOrOptions === 'string' ? { period: periodOrOptions } : periodOrOptions;
  const period = options.period ?? '2026-11';
  const approverIds = options.approverIds ?? ['fo-3'];
  if (!programmesDeclared.has(store)) await declarePolicy(store);
  const batchId = randomUUID();
  const ids = payments.map((payment) => paymentIdFor(PROGRAMME, period, payment.beneficiaryId));
  for (const [i, payment] of payments.entries()) {
    await enrol(store, payment.beneficiaryId);
    await decidePayment(store, ids[i], (ctx) => ({
      type: 'SchedulePayment',
      data: {
        paymentId: ids[i],
        programmeId: PROGRAMME,
        period,
        beneficiaryId: payment.beneficiaryId,
        amount: payment.amount,
      },
      context: ctx,
    }));
    await appendNoise(store, 1);
  }
  const others = Array.from({ length: options.otherLines ?? 0 }, (_, n) => ({
    paymentId: `${String(n).padStart(8, '0')}-0000-4000-8000-${batchId.slice(-12)}`,
    beneficiaryId: `${String(n).padStart(8, '0')}-9999-4000-8000-000000000000`,
    amount: '600000.00',
  }));
  const lines = [
    ...payments.map((payment, i) => ({ paymentId: ids[i], amount: payment.amount })),
    ...others.map(({ paymentId, amount }) => ({ paymentId, amount })),
  ];
  const controlSum = sum(lines.map((line) => line.amount));
  const at = context('fo-2').now;
  const claims: Array<{ account: BankAccountSnapshot; beneficiaryRevision: number }> = [];
  for (const payment of payments) {
    const record = await recordOf(store, payment.beneficiaryId);
    claims.push({ account: options.account ?? record.account, beneficiaryRevision: record.revision });
  }
  const v2 = (options.batchFormat ?? 'v2') === 'v2';
  const contentLines: BatchContentLine[] = [
    ...payments.map((payment, i) => ({
      paymentId: ids[i],
      beneficiaryId: payment.beneficiaryId,
      amount: payment.amount,
      bankCode: claims[i].account.bankCode,
      beneficiaryRevision: options.lineRevision ?? claims[i].beneficiaryRevision,
    })),
    ...others.map((other) => ({ ...other, bankCode: '002', beneficiaryRevision: 0 })),
  ];
  const contentHash = v2
    ? contentHashV2Of({ batchId, programmeId: PROGRAMME, period }, contentLines).contentHash
    : createHash('sha256').update(batchId).digest('hex');
  await appendBatch(store, batchId, [
    {
      type: 'BatchCreated',
      data: {
        batchId,
        programmeId: PROGRAMME,
        period,
        makerId: MAKER,
        payments: v2 ? contentLines : lines,
        count: lines.length,
        controlSum,
        contentHash,
        requiredApprovals: 1,
        expiresAt: '2026-11-30T00:00:00.000Z',
        at,
        ...(v2 ? { contentFormat: 'salur-batch/v2' as const } : {}),
      },
    },
  ]);
  for (const [i, id] of ids.entries()) {
    const { account, beneficiaryRevision } = claims[i];
    await decidePayment(store, id, (ctx) => ({
      type: 'BatchPayment',
      data: { paymentId: id, batchId, account, ...(v2 ? { beneficiaryRevision } : {}) },
      context: ctx,
    }));
  }
  const bankFile = painFile(batchId, lines, controlSum);
  const sha256 = createHash('sha256').update(bankFile).digest('hex');
  const file = {
    batchId,
    count: lines.length,
    controlSum,
    chargeBearer: 'DEBT' as const,
    generatedBy: 'worker',
    generatedAt: at,
  };
  // No approver at all: no approval event, as a forged or buggy history would have it.
  if (approverIds.length > 0)
    await appendBatch(store, batchId, [
      ...approverIds.map((approverId, i): BatchEvent => ({
        type: 'BatchApprovalRecorded',
        data: { batchId, approverId, contentHash, approvals: i + 1, requiredApprovals: 1, at },
      })),
      {
        type: 'BatchApproved',
        data: {
          batchId,
          programmeId: PROGRAMME,
          contentHash,
          approverIds: [...approverIds],
          count: lines.length,
          controlSum,
          at,
        },
      },
    ]);
  if (payments.every((payment) => payment.outcome === 'batched')) return { batchId, paymentIds: ids, bankFile };
  await appendBatch(store, batchId, [
    { type: 'BatchFileGenerated', data: { ...file, fileName: `${batchId}.xml`, format: 'pain001', sha256 } },
    {
      type: 'BatchFileGenerated',
      data: {
        ...file,
        fileName: `${batchId}.csv`,
        format: 'csv',
        sha256: createHash('sha256').update(`csv ${batchId}`).digest('hex'),
      },
    },
    { type: 'BatchSubmitted', data: { batchId, fileName: `${batchId}.xml`, sha256, submittedBy: 'worker', at } },
  ]);
  for (const [i, payment] of payments.entries()) {
    const id = ids[i];
    if (payment.outcome === 'batched') continue;
    await decidePayment(store, id, (ctx) => ({
      type: 'MarkPaymentSent',
      data: { paymentId: id, batchId },
      context: ctx,
    }));
    await appendNoise(store, 1);
  }
  for (const [i, payment] of payments.entries()) {
    const id = ids[i];
    const outcome = payment.outcome;
    if (typeof outcome === 'string') continue;
    await decidePayment(store, id, (ctx) =>
      'credited' in outcome
        ? {
            type: 'RecordCredit',
            data: {
              paymentId: id,
              batchId,
              creditedAmount: outcome.credited,
              bankReference: `REF-${i}`,
              valueDate: '2026-11-05',
            },
            context: ctx,
          }
        : { type: 'RecordRejection', data: { paymentId: id, batchId, reasonCode: outcome.rejected }, context: ctx },
    );
  }
  return { batchId, paymentIds: ids, bankFile };
}

/** The bank returns a credited payment: a later event of its stream. */
export async function recordReturn(
  store: EventStore,
  paymentId: string,
  batchId: string,
  amount: string,
): Promise<void> {
  await decidePayment(store, paymentId, (ctx) => ({
    type: 'RecordReturn',
    data: { paymentId, batchId, reasonCode: 'AC04', returnedAmount: amount, bankReference: 'RET-1' },
    context: ctx,
  }));
}

/** A pain.001.001.09 as libs/bank-integration writes it, cut to what the verifier reads. */
function painFile(
  batchId: string,
  lines: ReadonlyArray<{ paymentId: string; amount: string }>,
  controlSum: string,
): string {
  const compact = (id: string) => id.replace(/-/g, '');
  const transactions = lines.map(
    (line) =>
      `<CdtTrfTxInf><PmtId><EndToEndId>${compact(line.paymentId)}</EndToEndId></PmtId>` +
      `<Amt><InstdAmt Ccy="IDR">${line.amount}</InstdAmt></Amt><Cdtr><Nm>SITI AMINAH</Nm></Cdtr></CdtTrfTxInf>\n`,
  );
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09">\n<CstmrCdtTrfInitn>\n` +
    `<GrpHdr><MsgId>${compact(batchId)}</MsgId><NbOfTxs>${lines.length}</NbOfTxs><CtrlSum>${controlSum}</CtrlSum></GrpHdr>\n` +
    `<PmtInf><PmtInfId>${compact(batchId)}</PmtInfId><PmtMtd>TRF</PmtMtd><ChrgBr>DEBT</ChrgBr>\n${transactions.join('')}` +
    `</PmtInf>\n</CstmrCdtTrfInitn>\n</Document>\n`
  );
}

function sum(amounts: readonly string[]): string {
  const cents = amounts.reduce((total, amount) => total + BigInt(amount.replace('.', '')), 0n);
  return `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
}

export const beneficiary = (n: number) => `0000000${n}-1111-4111-8111-111111111111`.slice(-36);
