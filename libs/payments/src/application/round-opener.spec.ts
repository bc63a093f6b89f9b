import { handleCommand, LedgerContext, metadataOf } from '@salur/application';
import { EventStore, RecordedEvent, SqliteEventStore, StreamAppend } from '@salur/event-store';
import { paymentDecider, paymentIdFor, paymentStreamName } from '@salur/payments/domain';
import { programmeDecider, programmeStreamName } from '@salur/programmes/domain';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRoundChunkFor, RoundOpener } from './round-opener';

const PROGRAMME_ID = 'BANTU-UMAK-2026';
const PERIOD = '2026-11';
const context: LedgerContext = {
  actor: { userId: 'po-7', role: 'programme-officer' },
  now: '2026-11-26T03:00:00.000Z',
  correlationId: 'b1c2d3e4-0000-4000-8000-000000000001',
  causationId: 'open-round.spec',
};
/** More than one chunk, so chunking and resuming are exercised. */
const ENROLLED = 2_500;

describe('RoundOpener', () => {
  let directory: string;
  let store: SqliteEventStore;
  let beneficiaryIds: string[];

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'salur-round-opener-'));
    store = new SqliteEventStore({ path: join(directory, 'events.db') });
    await createProgramme(store);
    beneficiaryIds = Array.from({ length: ENROLLED }, () => randomUUID());
    // One transaction for the enrolments: 2,500 commits would make the set-up most of the test.
    await store.appendMany(
      beneficiaryIds.map((beneficiaryId) => ({
        streamName: `beneficiary-${beneficiaryId}`,
        events: [beneficiaryFact('BeneficiaryEnrolled', beneficiaryId)],
      })),
    );
  });

  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('schedules exactly one payment per active beneficiary, in one transaction per chunk', async () => {
    await beneficiaryEvent(store, 'BeneficiarySuspended', beneficiaryIds[0]);
    await beneficiaryEvent(store, 'BeneficiaryExited', beneficiaryIds[1]);
    const counting = countingAppends(store);
    const progress: number[] = [];

    const result = await new RoundOpener(counting.store).open(
      { programmeId: PROGRAMME_ID, period: PERIOD },
      context,
      async ({ done }) => void progress.push(done),
    );

    expect(result).toEqual({ total: ENROLLED - 2, scheduled: ENROLLED - 2, alreadyScheduled: 0, conflicting: 0 });
    expect(progress).toEqual([1_000, 2_000, ENROLLED - 2]);
    expect(counting.appendManyCalls).toBe(3);
    expect(counting.singleAppends).toBe(0);
    const scheduled = await scheduledPayments(store);
    expect(scheduled.map((event) => event.data.beneficiaryId).sort()).toEqual(beneficiaryIds.slice(2).sort());
    for (const event of scheduled) {
      expect(event.streamName).toBe(
        paymentStreamName(paymentIdFor(PROGRAMME_ID, PERIOD, String(event.data.beneficiaryId))),
      );
      expect(event.revision).toBe(0);
      expect(event.data).toMatchObject({ amount: '600000.00', scheduledBy: 'po-7', at: context.now });
      expect(event.metadata).toEqual(metadataOf(context));
    }
  });

  it('leaves payments that exist alone: the same amount counts as already scheduled, another as conflicting', async () => {
    await schedule(store, beneficiaryIds[0], '600000.00');
    await schedule(store, beneficiaryIds[1], '750000.00');

    const result = await open(store);

    expect(result).toEqual({ total: ENROLLED, scheduled: ENROLLED - 2, alreadyScheduled: 1, conflicting: 1 });
    expect(await scheduledPayments(store)).toHaveLength(ENROLLED);
  });

  it('writes nothing when the round is opened again', async () => {
    await open(store);
    const head = await store.headPosition();

    const again = await open(store);

    expect(again).toEqual({ total: ENROLLED, scheduled: 0, alreadyScheduled: ENROLLED, conflicting: 0 });
    expect(await store.headPosition()).toBe(head);
  });

  it('falls back to one payment at a time when a payment of the chunk appeared after the scan', async () => {
    // Another writer schedules a payment of the first chunk between the scan and the chunk's append.
    const racing = Object.create(store) as EventStore;
    let raced = false;
    racing.appendMany = async (appends: readonly StreamAppend[]) => {
      if (!raced) {
        raced = true;
        await schedule(store, beneficiaryIds.slice().sort()[0], '600000.00');
      }
      return store.appendMany(appends);
    };

    const result = await new RoundOpener(racing).open(
      { programmeId: PROGRAMME_ID, period: PERIOD },
      context,
      noProgress,
    );

    expect(result).toEqual({ total: ENROLLED, scheduled: ENROLLED - 1, alreadyScheduled: 1, conflicting: 0 });
    expect(await scheduledPayments(store)).toHaveLength(ENROLLED);
  });

  it('schedules one by one on a store without appendMany, with the same outcome', async () => {
    const plain = Object.create(store) as EventStore;
    Object.defineProperty(plain, 'appendMany', { value: undefined });

    const result = await new RoundOpener(plain).open(
      { programmeId: PROGRAMME_ID, period: PERIOD },
      context,
      noProgress,
    );

    expect(result).toEqual({ total: ENROLLED, scheduled: ENROLLED, alreadyScheduled: 0, conflicting: 0 });
    expect(await scheduledPayments(store)).toHaveLength(ENROLLED);
  });

  it('finishes a round cut short once, without re-deciding the payments already written', async () => {
    const opener = new RoundOpener(store);
    const failing = async ({ done }: { done: number }) => {
      if (done === 1_000) throw new Error('worker killed after the first chunk');
    };
    await expect(opener.open({ programmeId: PROGRAMME_ID, period: PERIOD }, context, failing)).rejects.toThrow(
      'worker killed',
    );
    const counting = countingAppends(store);

    const retried = await new RoundOpener(counting.store).open(
      { programmeId: PROGRAMME_ID, period: PERIOD },
      context,
      noProgress,
    );

    expect(retried).toEqual({ total: ENROLLED, scheduled: ENROLLED - 1_000, alreadyScheduled: 1_000, conflicting: 0 });
    expect(counting.singleAppends).toBe(0);
    expect(await scheduledPayments(store)).toHaveLength(ENROLLED);
  });

  it('includes a beneficiary enrolled between the crash and the retry, wherever it sorts', async () => {
    const opener = new RoundOpener(store);
    const failing = async ({ done }: { done: number }) => {
      if (done === 1_000) throw new Error('worker killed after the first chunk');
    };
    await expect(opener.open({ programmeId: PROGRAMME_ID, period: PERIOD }, context, failing)).rejects.toThrow(
      'worker killed',
    );
    // Sorts before every random id: it lands in the chunk the first run had already done.
    const latecomer = '00000000-0000-4000-8000-000000000001';
    await store.append(`beneficiary-${latecomer}`, [beneficiaryFact('BeneficiaryEnrolled', latecomer)]);

    const retried = await open(store);

    expect(retried.total).toBe(ENROLLED + 1);
    const scheduled = await scheduledPayments(store);
    expect(scheduled).toHaveLength(ENROLLED + 1);
    expect(scheduled.some((event) => event.data.beneficiaryId === latecomer)).toBe(true);
  });
});

describe('RoundOpener and the programme schedule', () => {
  it.each(['2026-Q4', '2027-11', '2026-ONE'])(
    'refuses %s, which the monthly 2026 programme does not declare, and schedules nothing',
    async (period) => {
      const store = new SqliteEventStore({ path: ':memory:' });
      try {
        await createProgramme(store);
        const beneficiaryId = randomUUID();
        await store.append(`beneficiary-${beneficiaryId}`, [beneficiaryFact('BeneficiaryEnrolled', beneficiaryId)]);
        await expect(
          new RoundOpener(store).open({ programmeId: PROGRAMME_ID, period }, context, noProgress),
        ).rejects.toMatchObject({ code: 'PERIOD_NOT_DECLARED', field: 'period' });
        expect(await scheduledPayments(store)).toHaveLength(0);
      } finally {
        await store.close();
      }
    },
  );
});

describe('openRoundChunkFor', () => {
  it('keeps small rounds at 1,000 a chunk and grows to 5,000 for about a hundred chunks', () => {
    expect([0, 5_000, 100_000, 150_000, 250_000, 1_000_000, 10_000_000].map(openRoundChunkFor)).toEqual([
      1_000, 1_000, 1_000, 2_000, 3_000, 5_000, 5_000,
    ]);
  });
});

const noProgress = async () => undefined;

function open(store: EventStore) {
  return new RoundOpener(store).open({ programmeId: PROGRAMME_ID, period: PERIOD }, context, noProgress);
}

async function createProgramme(store: EventStore): Promise<void> {
  await handleCommand(
    store,
    programmeStreamName(PROGRAMME_ID),
    programmeDecider,
    {
      type: 'CreateProgramme',
      data: {
        programmeId: PROGRAMME_ID,
        code: 'BANTU-UMAK',
        name: 'Bantuan Usaha Mikro Anak Muda',
        fiscalYear: 2026,
        budgetCeiling: '100000000000.00',
        benefitAmount: '600000.00',
        currency: 'IDR',
      },
      context,
    },
    { metadata: metadataOf(context) },
  );
}

/** Only what the round's scan reads of a beneficiary event: its type, programme and beneficiary. */
function beneficiaryFact(type: string, beneficiaryId: string) {
  return { id: randomUUID(), type, data: { beneficiaryId, programmeId: PROGRAMME_ID, at: context.now } };
}

async function beneficiaryEvent(store: EventStore, type: string, beneficiaryId: string): Promise<void> {
  await store.append(`beneficiary-${beneficiaryId}`, [beneficiaryFact(type, beneficiaryId)]);
}

async function schedule(store: EventStore, beneficiaryId: string, amount: string): Promise<void> {
  const paymentId = paymentIdFor(PROGRAMME_ID, PERIOD, beneficiaryId);
  await handleCommand(
    store,
    paymentStreamName(paymentId),
    paymentDecider,
    {
      type: 'SchedulePayment',
      data: { paymentId, programmeId: PROGRAMME_ID, period: PERIOD, beneficiaryId, amount },
      context,
    },
    { metadata: metadataOf(context) },
  );
}

async function scheduledPayments(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of store.readAll()) if (event.type === 'PaymentScheduled') events.push(event);
  return events;
}

function countingAppends(store: SqliteEventStore) {
  const counts = { appendManyCalls: 0, singleAppends: 0 };
  const counting = Object.create(store) as EventStore;
  counting.append = (...args: Parameters<EventStore['append']>) => {
    counts.singleAppends++;
    return store.append(...args);
  };
  counting.appendMany = (appends: readonly StreamAppend[]) => {
    counts.appendManyCalls++;
    return store.appendMany(appends);
  };
  return {
    store: counting,
    get appendManyCalls() {
      return counts.appendManyCalls;
    },
    get singleAppends() {
      return counts.singleAppends;
    },
  };
}
