import { loadStream } from '@salur/application';
import { batchDecider, type BatchState, batchStreamName, type ExistingBatch } from '@salur/batches/domain';
import { type ExistingPayment, paymentDecider, type PaymentState, paymentStreamName } from '@salur/payments/domain';
import type { World } from './world';

/** The batches now in one of these states, loaded through the real decider. */
export async function batchesIn(world: World, ...statuses: Array<BatchState['status']>): Promise<ExistingBatch[]> {
  const found: ExistingBatch[] = [];
  for (const batchId of world.directory.batches) {
    const { state } = await loadStream(world.store, batchStreamName(batchId), batchDecider);
    if (state.status !== 'absent' && statuses.includes(state.status)) found.push(state);
  }
  return found;
}

/** The payments among these ids now in one of these states. */
export async function paymentsIn(
  world: World,
  paymentIds: readonly string[],
  ...statuses: Array<PaymentState['status']>
): Promise<ExistingPayment[]> {
  const found: ExistingPayment[] = [];
  for (const paymentId of paymentIds) {
    const { state } = await loadStream(world.store, paymentStreamName(paymentId), paymentDecider);
    if (state.status !== 'absent' && statuses.includes(state.status)) found.push(state);
  }
  return found;
}
