import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LedgerContext } from '@salur/application';
import { assertBankFileText, bankIntegrationConfigFrom, BankFileWriter } from '@salur/bank-integration';
import { BatchEvent, batchStreamName } from '@salur/batches/domain';
import { EventStore, SqliteEventStore } from '@salur/event-store';
import { DomainError } from '@salur/kernel';
import { PaymentEvent, paymentIdFor, paymentStreamName } from '@salur/payments/domain';
import { failingPermanentlyOnRules } from '@salur/queue';
import { UnrecoverableError } from 'bullmq';

const at = '2026-11-26T08:00:00.000Z';
const context: LedgerContext = {
  actor: { userId: 'bank-job', role: 'bank-integration' },
  now: at,
  correlationId: randomUUID(),
  causationId: randomUUID(),
};
const report = async () => undefined;

/**
 * Issue 14: a bidirectional or invisible character that reached the log by an older path (every
 * request path refuses it now) must never reach a bank file. The writer refuses the line with
 * DomainError BANK_FILE_UNSAFE_TEXT, as it refuses an erased account: the write job fails for good,
 * no file is left in the outbound folder and nothing is recorded on the batch.
 */
describe('the bank file writer and text no bank file may carry', () => {
  const directory = mkdtempSync(join(tmpdir(), 'salur-unsafe-text-'));
  let store: EventStore;
  let writer: BankFileWriter;

  beforeAll(() => {
    store = new SqliteEventStore({ path: join(directory, 'events.db') });
    writer = new BankFileWriter(store, bankIntegrationConfigFrom({ BANK_FILES_DIR: join(directory, 'files') }));
  });
  afterAll(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('writes a batch whose names are plain text (the seeding is sound)', async () => {
    const batchId = await seedApprovedBatch(store, ['SITI AMINAH', 'Nguyễn Thị Hằng']);

    const files = await writer.write(batchId, context, report);

    expect(files.map((file) => file.format)).toEqual(['pain001', 'csv']);
    expect(readFileSync(join(writer.outboundDir(), files[0].fileName), 'utf8')).toContain('<Nm>Nguyễn Thị Hằng</Nm>');
  });

  it.each([
    [
      'a right-to-left override',
      'SITI \u202EHANIMA',
      'U+202E RIGHT-TO-LEFT OVERRIDE (a bidirectional control) at character 6',
    ],
    [
      'a zero-width space',
      'SITI\u200B AMINAH',
      'U+200B ZERO WIDTH SPACE (an invisible format character) at character 5',
    ],
    ['a first strong isolate', '\u2068SITI', 'U+2068 FIRST STRONG ISOLATE (a bidirectional control) at character 1'],
  ])(
    'refuses %s in an account holder name: the job fails for good, no file, nothing recorded',
    async (_, name, said) => {
      const batchId = await seedApprovedBatch(store, ['SITI AMINAH', name]);
      const before = filesIn(writer.outboundDir());
      const head = await store.headPosition();

      const refusal = await writer.write(batchId, context, report).catch((error: unknown) => error);

      expect(refusal).toBeInstanceOf(DomainError);
      expect(refusal).toMatchObject({ kind: 'rule', code: 'BANK_FILE_UNSAFE_TEXT' });
      expect((refusal as Error).message).toContain(said);
      expect((refusal as Error).message).not.toContain('HANIMA');
      expect(filesIn(writer.outboundDir())).toEqual(before);
      expect(await store.headPosition()).toBe(head);
      await expect(failingPermanentlyOnRules(() => writer.write(batchId, context, report))).rejects.toThrow(
        new UnrecoverableError(`BANK_FILE_UNSAFE_TEXT: ${(refusal as Error).message}`),
      );
    },
  );

  it('is the kernel rule, applied to the text as it is', () => {
    expect(() => assertBankFileText('SITI AMINAH', 'the name')).not.toThrow();
    expect(() => assertBankFileText('SITI\tAMINAH', 'the name')).toThrow(/U\+0009 CHARACTER TABULATION/);
    expect(() => assertBankFileText('SITI \uD800', 'the name')).toThrow(/a lone surrogate/);
  });
});

/** An approved batch of one payment per name, claimed with that name as the account holder; its id. */
async function seedApprovedBatch(store: EventStore, names: readonly string[]): Promise<string> {
  const batchId = randomUUID();
  const payments = names.map((name, index) => ({
    paymentId: paymentIdFor('BANTU-UMAK-2026', '2026-11', randomUUID()),
    account: {
      bankCode: '002',
      accountNumber: `0019010${String(index + 1).padStart(8, '0')}`,
      accountHolderName: name,
    },
  }));
  for (const { paymentId, account } of payments) {
    const events: PaymentEvent[] = [
      {
        type: 'PaymentScheduled',
        data: {
          paymentId,
          programmeId: 'BANTU-UMAK-2026',
          period: '2026-11',
          beneficiaryId: randomUUID(),
          amount: '600000.00',
          scheduledBy: 'po',
          at,
        },
      },
      { type: 'PaymentBatched', data: { paymentId, batchId, account, attempt: 1, at } },
    ];
    await append(store, paymentStreamName(paymentId), events);
  }
  const lines = payments.map(({ paymentId }) => ({ paymentId, amount: '600000.00' }));
  const controlSum = `${600_000 * lines.length}.00`;
  const batchEvents: BatchEvent[] = [
    {
      type: 'BatchCreated',
      data: {
        batchId,
        programmeId: 'BANTU-UMAK-2026',
        period: '2026-11',
        makerId: 'maker',
        payments: lines,
        count: lines.length,
        controlSum,
        contentHash: 'a'.repeat(64),
        requiredApprovals: 1,
        expiresAt: '2026-12-26T08:00:00.000Z',
        at,
      },
    },
    {
      type: 'BatchApproved',
      data: {
        batchId,
        programmeId: 'BANTU-UMAK-2026',
        contentHash: 'a'.repeat(64),
        approverIds: ['checker'],
        count: lines.length,
        controlSum,
        at,
      },
    },
  ];
  await append(store, batchStreamName(batchId), batchEvents);
  return batchId;
}

function filesIn(directory: string): string[] {
  return existsSync(directory) ? readdirSync(directory).sort() : [];
}

async function append(store: EventStore, streamName: string, events: ReadonlyArray<PaymentEvent | BatchEvent>) {
  await store.append(
    streamName,
    events.map((event) => ({ id: randomUUID(), type: event.type, data: event.data as never })),
    { expectedRevision: 'no_stream' },
  );
}
