import { randomUUID } from 'node:crypto';
import { ERASED_VALUE, type PersonalDataFields } from '@salur/kernel';
import { SqliteEventStore, type EventStore, type RecordedEvent } from '@salur/event-store';
import { storedEventOf } from '../stored-personal-data';
import { type PersonalDataKeyStore, SqlPersonalDataKeyStore } from './key-store';
import { PersonalDataVault, SubjectErasedError } from './personal-data-vault';
import { SealingEventStore } from './sealing-event-store';
import { newDataKey, SealedFieldTamperedError } from './seal-crypto';

/** A declaration shaped like the ledger's (beneficiary fields by event field, payment fields by first event). */
const FIELDS: PersonalDataFields = {
  Enrolled: {
    subject: { field: 'beneficiaryId', prefix: 'beneficiary-' },
    fields: [
      { path: 'nik', kind: 'nik' },
      { path: 'kk', kind: 'kk' },
      { path: 'name', kind: 'name' },
      { path: 'bankAccount.accountNumber', kind: 'account-number' },
    ],
  },
  Batched: {
    subject: { streamFirstEvent: 'beneficiaryId', prefix: 'beneficiary-' },
    fields: [{ path: 'account.accountNumber', kind: 'account-number' }],
  },
  Rejected: { subject: { stream: true }, fields: [{ path: 'reason', kind: 'free-text' }] },
};

const NIK = '3174011501900003';
const KK = '3174010101900001';
const NAME = 'Siti Aminah';
const ACCOUNT = '001901000378301';
const CLEAR_VALUES = [NIK, KK, NAME, ACCOUNT];

function event(type: string, data: Record<string, unknown>) {
  return { id: randomUUID(), type, data };
}

async function all(events: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const read: RecordedEvent[] = [];
  for await (const recorded of events) read.push(recorded);
  return read;
}

/** The key store, with the number of subjects of each look-up written down. */
function countingLookUps(keys: PersonalDataKeyStore): { store: PersonalDataKeyStore; lookUps: number[] } {
  const lookUps: number[] = [];
  const store: PersonalDataKeyStore = {
    keysOf: (subjects, options) => {
      lookUps.push(subjects.length);
      return keys.keysOf(subjects, options);
    },
    erase: (subject, at) => keys.erase(subject, at),
    holdsKey: (subject) => keys.holdsKey(subject),
    close: () => keys.close(),
  };
  return { store, lookUps };
}

describe('SealingEventStore', () => {
  let raw: EventStore;
  let keys: SqlPersonalDataKeyStore;
  let vault: PersonalDataVault;
  let store: SealingEventStore;

  beforeEach(async () => {
    raw = new SqliteEventStore({ path: ':memory:' });
    keys = await SqlPersonalDataKeyStore.open(
      { dialect: 'sqlite', sqlitePath: ':memory:', postgresUrl: '' },
      newDataKey(),
    );
    vault = new PersonalDataVault(keys, newDataKey(), FIELDS);
    store = new SealingEventStore(raw, vault);
  });

  afterEach(async () => {
    await raw.close();
    await keys.close();
  });

  async function enrolAndBatch(): Promise<void> {
    await store.append('beneficiary-b1', [
      event('Enrolled', {
        beneficiaryId: 'b1',
        nik: NIK,
        kk: KK,
        name: NAME,
        bankAccount: { bankCode: '002', accountNumber: ACCOUNT },
      }),
    ]);
    await store.append('payment-p1', [
      event('Scheduled', { paymentId: 'p1', beneficiaryId: 'b1', amount: '600000.00' }),
    ]);
    await store.append('payment-p1', [
      event('Batched', { paymentId: 'p1', account: { bankCode: '002', accountNumber: ACCOUNT } }),
    ]);
  }

  it('stores no clear personal data, and reads it back in clear', async () => {
    await enrolAndBatch();
    const stored = JSON.stringify(await all(raw.readAll()));
    for (const value of CLEAR_VALUES) expect(stored).not.toContain(value);

    const [enrolled] = await all(store.readStream('beneficiary-b1'));
    expect(enrolled.data).toMatchObject({
      nik: NIK,
      kk: KK,
      name: NAME,
      bankAccount: { bankCode: '002', accountNumber: ACCOUNT },
    });
    expect(enrolled.personalData?.storedData).toMatchObject({
      nik: { sealed: 'salur-pd/1', subject: 'beneficiary-b1', kind: 'nik' },
    });
    expect(enrolled.personalData?.searchKeys.nik).toBe(vault.searchKey('nik', NIK));
  });

  it("seals a payment's account with its beneficiary's key, named by the stream's first event", async () => {
    await enrolAndBatch();
    const batched = (await all(raw.readStream('payment-p1')))[1];
    expect(batched.data).toMatchObject({
      account: { accountNumber: { subject: 'beneficiary-b1', kind: 'account-number' } },
    });
    // Same subject and kind, same value: the commitments agree, which binds the payment to the enrolment.
    const enrolled = (await all(raw.readStream('beneficiary-b1')))[0];
    const commitment = (value: unknown) => (value as { commitment: string }).commitment;
    expect(commitment((batched.data.account as Record<string, unknown>).accountNumber)).toBe(
      commitment((enrolled.data.bankAccount as Record<string, unknown>).accountNumber),
    );
  });

  it('reads an erased subject as erased everywhere, and refuses new data about them', async () => {
    await enrolAndBatch();
    await vault.erase('beneficiary-b1', '2026-12-04T00:00:00.000Z');
    const events = await all(store.readAll());
    expect(events[0].data).toMatchObject({ nik: ERASED_VALUE, kk: ERASED_VALUE, name: ERASED_VALUE });
    expect(events[0].personalData?.searchKeys).toEqual({});
    expect(events[2].data).toMatchObject({ account: { accountNumber: ERASED_VALUE } });
    expect(await keys.holdsKey('beneficiary-b1')).toBe(false);

    const before = (await raw.headPosition()) ?? 0;
    await expect(
      store.append('payment-p1', [
        event('Batched', { paymentId: 'p1', account: { bankCode: '002', accountNumber: ACCOUNT } }),
      ]),
    ).rejects.toBeInstanceOf(SubjectErasedError);
    expect(await raw.headPosition()).toBe(before);
  });

  it('seals officer text with the stream as subject, and leaves undeclared events as they are', async () => {
    await store.append('batch-x', [
      event('Rejected', { reason: `wrong account of ${NAME}` }),
      event('Approved', { by: 'a' }),
    ]);
    const [rejected, approved] = await all(raw.readStream('batch-x'));
    expect(JSON.stringify(rejected.data)).not.toContain(NAME);
    expect(approved.data).toEqual({ by: 'a' });
    expect((await all(store.readStream('batch-x')))[0].data).toEqual({ reason: `wrong account of ${NAME}` });
  });

  it('seals multi-stream appends and opens live subscriptions', async () => {
    const subscription = store.subscribeToAll();
    await store.appendMany!([
      {
        streamName: 'beneficiary-b2',
        events: [event('Enrolled', { beneficiaryId: 'b2', nik: NIK, kk: KK, name: NAME })],
      },
      {
        streamName: 'beneficiary-b3',
        events: [event('Enrolled', { beneficiaryId: 'b3', nik: '3174011501900004', kk: KK, name: NAME })],
      },
    ]);
    expect(JSON.stringify(await all(raw.readAll()))).not.toContain(NAME);
    const seen: RecordedEvent[] = [];
    for await (const recorded of subscription) {
      seen.push(recorded);
      if (seen.length === 2) break;
    }
    await subscription.close();
    expect(seen.map((recorded) => recorded.data.name)).toEqual([NAME, NAME]);
  });

  it('opens a field when it is read: a reader of other fields never decrypts it', async () => {
    await enrolAndBatch();
    // A copy of the enrolment whose name was altered in the store: it opens to no value.
    const [stored] = await all(raw.readStream('beneficiary-b1'));
    const name = stored.data.name as { ciphertext: string };
    const bytes = Buffer.from(name.ciphertext, 'base64url');
    bytes[14] ^= 1;
    const altered = { ...stored.data, name: { ...name, ciphertext: bytes.toString('base64url') } };
    await raw.append('beneficiary-b1', [event('Enrolled', altered)]);

    const [, read] = await all(store.readStream('beneficiary-b1'));
    expect(read.data.beneficiaryId).toBe('b1');
    expect(read.data.nik).toBe(NIK);
    expect(read.personalData?.searchKeys).toEqual({ nik: vault.searchKey('nik', NIK), kk: vault.searchKey('kk', KK) });
    expect(storedEventOf(read).data).toEqual(altered);
    expect(() => read.data.name).toThrow(SealedFieldTamperedError);
    expect(() => JSON.stringify(read.data)).toThrow(SealedFieldTamperedError);
  });

  it('looks keys up once for a run of events a subscription already holds, and once for an appendMany', async () => {
    const counted = countingLookUps(keys);
    const writer = new SealingEventStore(raw, new PersonalDataVault(counted.store, newDataKey(), FIELDS));
    const subjects = Array.from({ length: 40 }, (_, index) => `s${index}`);
    await writer.appendMany!(
      subjects.map((id) => ({
        streamName: `beneficiary-${id}`,
        events: [event('Enrolled', { beneficiaryId: id, nik: NIK, kk: KK, name: NAME })],
      })),
    );
    expect(counted.lookUps).toEqual([subjects.length]);

    // A reader with nothing cached catches up: the events were read in one page, so one look-up.
    // The gathering delay is widened so that a stalled event loop (a loaded machine) cannot
    // close the run early: the rule under test is "one look-up for what is already held".
    counted.lookUps.length = 0;
    const reader = new SealingEventStore(raw, new PersonalDataVault(counted.store, newDataKey(), FIELDS), undefined, {
      maxEvents: 500,
      maxDelayMs: 60_000,
    });
    const subscription = reader.subscribeToAll();
    const seen: RecordedEvent[] = [];
    for await (const recorded of subscription) {
      seen.push(recorded);
      if (seen.length === subjects.length) break;
    }
    await subscription.close();
    expect(seen.map((recorded) => recorded.data.name)).toEqual(subjects.map(() => NAME));
    expect(counted.lookUps).toEqual([subjects.length]);
  });

  it('keeps one key per subject when two writers create it at once', async () => {
    const [first, second] = await Promise.all([
      keys.keysOf(['beneficiary-race'], { create: true }),
      keys.keysOf(['beneficiary-race'], { create: true }),
    ]);
    expect((first.get('beneficiary-race') as Buffer).equals(second.get('beneficiary-race') as Buffer)).toBe(true);
  });
});
