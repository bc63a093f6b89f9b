import { DomainError } from '@salur/kernel';
import type { EventStore } from '@salur/event-store';
import { itemsInBatch } from './batch-lines';

/** A store in which every stream is empty: the payments a batch lists were never recorded. */
const emptyStore = { readStream: () => [] } as unknown as EventStore;

describe('itemsInBatch', () => {
  it('refuses a listed payment that is not batched there with a 409 code, not a bare Error (a 500)', async () => {
    const batchId = '5b0e8a52-3c1d-4e6f-9a7b-2d4c6e8f0a1b';
    const paymentId = '7c1f9b63-4d2e-4f70-8b8c-3e5d7f9a1b2c';

    const refusal = await itemsInBatch(emptyStore, batchId, [paymentId]).catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal).toMatchObject({ kind: 'conflict', code: 'PAYMENT_NOT_IN_BATCH' });
  });
});
