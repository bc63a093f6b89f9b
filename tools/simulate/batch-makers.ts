import { CloseBatchCommand, CreateBatchCommand, RemovePaymentsFromBatchCommand } from '@salur/batches';
import { batchesIn, paymentsIn } from './batch-lookup';
import type { UserAction } from './user-action';
import { CAST, contextOf } from './world';

/** Payments one maker puts in a batch at most: small batches, many of them. */
const MAX_BATCH_PAYMENTS = 6;

export const createBatch: UserAction = {
  name: 'create batch',
  weight: 4,
  async run(world) {
    if (world.directory.rounds.length === 0) return undefined;
    const round = world.random.pick(world.directory.rounds);
    const roundPayments = world.directory.paymentsOf(round);
    const pool = await paymentsIn(world, roundPayments, 'scheduled', 'reissued');
    if (pool.length === 0) return undefined;
    const size = world.random.between(1, Math.min(MAX_BATCH_PAYMENTS, pool.length));
    const chosen = Array.from({ length: size }, () => world.random.pick(pool).paymentId);
    // A maker working from a stale list: a payment already taken (refused, nothing written).
    if (world.random.chance(0.05)) chosen.push(world.random.pick(roundPayments));
    const paymentIds = [...new Set(chosen)];
    const context = contextOf(world, world.random.pick(CAST.financeOfficers));
    const receipt = await world.service.createBatch.execute(new CreateBatchCommand({ ...round, paymentIds }, context));
    return `batch ${receipt.id} of ${paymentIds.length} by ${context.actor.userId}: ${receipt.status}`;
  },
};

export const removeFromBatch: UserAction = {
  name: 'remove payment from batch',
  weight: 1,
  async run(world) {
    const pending = (await batchesIn(world, 'pending')).filter((batch) => batch.payments.length > 1);
    if (pending.length === 0) return undefined;
    const batch = world.random.pick(pending);
    const paymentId = world.random.pick(batch.payments).paymentId;
    const context = contextOf(world, world.random.pick(CAST.financeOfficers));
    await world.service.removePayments.execute(
      new RemovePaymentsFromBatchCommand(batch.batchId, [paymentId], 'beneficiary under review', context),
    );
    return `removed ${paymentId} from ${batch.batchId}`;
  },
};

export const closeBatch: UserAction = {
  name: 'reject or cancel batch',
  weight: 1,
  async run(world) {
    const pending = await batchesIn(world, 'pending');
    if (pending.length === 0) return undefined;
    const batch = world.random.pick(pending);
    const closing = world.random.chance(0.5)
      ? ({ type: 'RejectBatch', reason: 'amounts do not match the decree' } as const)
      : ({ type: 'CancelBatch', reason: 'made in error' } as const);
    const context = contextOf(world, world.random.pick(CAST.financeOfficers));
    await world.service.closeBatch.execute(new CloseBatchCommand(batch.batchId, closing, context));
    return `${closing.type} ${batch.batchId}`;
  },
};
