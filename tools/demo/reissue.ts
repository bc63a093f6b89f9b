import { countedRequest } from './appended-events';
import type { DemoContext } from './demo-context';
import { refusedBeneficiaries } from './ledger-reading';
import { account, PERIOD, person, PROGRAMME_ID } from './people';

/**
 * Enrolment officers record the new accounts of the people the bank refused (closed or blocked
 * accounts, fixed at the branch); a finance officer then reissues their payments, once.
 * Returns how many payments were reissued.
 */
export async function fixAccountsAndReissue(context: DemoContext): Promise<number> {
  const { client, progress, store } = context;
  const refused = await refusedBeneficiaries(store);
  const phase = progress.phase('Fixing accounts (enrolment officer)', refused.size, 'beneficiaries');
  let fixed = 0;
  for (const [beneficiaryId, n] of refused) {
    const { bankCode, name } = person(n);
    await client.ok('enrolment-officer', 'eo-rina', 'POST', `/beneficiaries/${beneficiaryId}/bank-account`, {
      bankAccount: { bankCode, accountNumber: account(n, 1), accountHolderName: name },
      reason: 'account closed or blocked: new account verified at the branch',
    });
    phase.update(++fixed);
  }
  phase.finish();
  const reissuing = {
    title: 'Reissuing (finance officer)',
    total: refused.size,
    unit: 'payments',
    eventType: 'PaymentReissued',
  };
  const { reissued } = await countedRequest(store, progress, reissuing, () =>
    client.ok<{ reissued: number }>('finance-officer', 'fo-siti', 'POST', `/rounds/${PROGRAMME_ID}/${PERIOD}/reissues`),
  );
  progress.say(`Reissued ${reissued} payment(s) to the fixed accounts`);
  return reissued;
}
