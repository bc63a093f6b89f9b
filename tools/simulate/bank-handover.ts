import { DomainError } from '@salur/kernel';
import { AssertionError } from 'node:assert';
import { join } from 'node:path';
import { batchesIn, paymentsIn } from './batch-lookup';
import { writeBankFile } from './service-jobs';
import type { UserAction } from './user-action';
import { CAST, contextOf, originOf } from './world';

export const writeBankFiles: UserAction = {
  name: 'write bank file',
  weight: 3,
  async run(world) {
    const approved = (await batchesIn(world, 'approved')).filter((batch) => batch.files.length < 2);
    if (approved.length === 0) return undefined;
    const batch = world.random.pick(approved);
    await writeBankFile(world, batch.batchId, originOf(world, world.random.pick(CAST.financeOfficers)));
    return `wrote the bank files of ${batch.batchId}`;
  },
};

/**
 * A finance officer hands the pain.001 to the bank: an approved batch with its files, or a
 * submitted one whose payments are not all marked sent yet (a submission cut short is finished by
 * asking again). The bank gets the file once the ledger answered.
 */
export const submitBatch: UserAction = {
  name: 'submit batch',
  weight: 3,
  async run(world) {
    const candidates = [];
    for (const batch of await batchesIn(world, 'approved', 'submitted')) {
      if (batch.status === 'approved' && batch.files.length < 2) continue;
      const ids = batch.payments.map((line) => line.paymentId);
      if (batch.status === 'submitted' && (await paymentsIn(world, ids, 'batched')).length === 0) continue;
      candidates.push(batch);
    }
    if (candidates.length === 0) return undefined;
    const batch = world.random.pick(candidates);
    const context = contextOf(world, world.random.pick(CAST.financeOfficers));
    const submitted = await world.service.submission.submit(batch.batchId, context).catch((error: unknown) => {
      // BatchSubmission's promise: a submission cut short is finished by asking again. A refusal breaks it.
      if (batch.status === 'submitted' && error instanceof DomainError) {
        throw new AssertionError({
          message: `Submitting ${batch.batchId} again, to finish a submission cut short, was refused: ${error.code} (${error.message})`,
        });
      }
      throw error;
    });
    const path = join(world.service.fileWriter.outboundDir(), submitted.fileName);
    await world.bank.receive(path, world.step, world.clock.now());
    return `submitted ${batch.batchId} (${submitted.payments} payments)`;
  },
};
