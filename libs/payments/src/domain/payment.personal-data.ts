import type { PersonalDataFields, PersonalDataOfEvent, PersonalField } from '@salur/kernel';

/**
 * A payment's personal data belongs to its beneficiary, named by the stream's first event
 * (PaymentScheduled). The prefix is the beneficiary stream's (libs/beneficiaries), repeated here
 * because payments may not import beneficiaries; libs/ledger's spec checks they agree.
 */
const OF_THE_BENEFICIARY = { streamFirstEvent: 'beneficiaryId', prefix: 'beneficiary-' } as const;

function accountAt(path: string): PersonalField[] {
  return [
    { path: `${path}.accountNumber`, kind: 'account-number' },
    { path: `${path}.accountHolderName`, kind: 'account-holder-name' },
  ];
}

function officerText(): PersonalDataOfEvent {
  return { subject: OF_THE_BENEFICIARY, fields: [{ path: 'reason', kind: 'free-text' }] };
}

/** The account a payment goes to and the officers' words about it: sealed with the beneficiary's key. */
export const PAYMENT_PERSONAL_DATA: PersonalDataFields = {
  PaymentBatched: { subject: OF_THE_BENEFICIARY, fields: accountAt('account') },
  PaymentReissued: { subject: OF_THE_BENEFICIARY, fields: [...accountAt('previousAccount'), ...accountAt('account')] },
  PaymentOutcomeDecisionRequested: officerText(),
  PaymentOutcomeDecided: officerText(),
  PaymentReversalRequested: officerText(),
  PaymentReversed: officerText(),
};
