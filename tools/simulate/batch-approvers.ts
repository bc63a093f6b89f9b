import { ApproveBatchCommand } from '@salur/batches';
import { batchesIn } from './batch-lookup';
import type { UserAction } from './user-action';
import { CAST, contextOf } from './world';

export const approveBatch: UserAction = {
  name: 'approve batch',
  weight: 6,
  async run(world) {
    const pending = await batchesIn(world, 'pending');
    if (pending.length === 0) return undefined;
    const batch = world.random.pick(pending);
    // Any officer, the maker and earlier approvers included: their approvals must be refused.
    const approver = world.random.pick(CAST.financeOfficers);
    // Now and then from a screen opened before the batch changed.
    const contentHash = world.random.chance(0.05) ? world.random.uuid() : batch.contentHash;
    const context = contextOf(world, approver);
    const receipt = await world.service.approveBatch.execute(
      new ApproveBatchCommand(batch.batchId, contentHash, context),
    );
    return `${approver.userId} approved ${batch.batchId}: ${receipt.status}`;
  },
};
