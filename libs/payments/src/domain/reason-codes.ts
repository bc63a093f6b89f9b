import type { ExistingPayment } from './payment.state';

/**
 * Why the bank refused or sent back a payment, in the terms that decide what happens next. The
 * codes are ISO 20022 external codes (ExternalStatusReason1Code in a pain.002 `StsRsnInf`,
 * ExternalReturnReason1Code in a camt.054 `RtrInf`); the two lists share these codes.
 *
 * - `beneficiary`: the beneficiary's side (their account, name or bank) is wrong. Sending the
 *   same thing again would fail again: the account is fixed first (enrolment), then reissued.
 * - `debtor`: our side (the treasury's account or funds, the file we sent, the agreement with
 *   the bank) or a technical failure on the way. Nothing about the beneficiary changes: the
 *   payment is reissued as it was, once the cause is dealt with.
 * - `unknown`: any other code (NARR, MS02, CUST, a bank's own code…). Handled as beneficiary-side:
 *   a refusal nobody can read is never resent blindly to the account the bank refused.
 */
export type ReasonClass = 'beneficiary' | 'debtor' | 'unknown';

/** The beneficiary, their account or their bank: fix the account, then reissue. */
export const BENEFICIARY_SIDE_CODES: Readonly<Record<string, string>> = {
  AC01: 'IncorrectAccountNumber: the account number is invalid or missing',
  AC03: 'InvalidCreditorAccountNumber',
  AC04: 'ClosedAccountNumber: the account is closed',
  AC06: 'BlockedAccount: the account is blocked',
  AC07: 'ClosedCreditorAccountNumber',
  AC11: 'InvalidCreditorAccountCurrency',
  AC14: 'InvalidCreditorAccountType',
  AC15: 'AccountDetailsChanged',
  BE01: 'InconsistentWithEndCustomer: the name does not match the account',
  BE04: 'MissingCreditorAddress',
  BE06: 'UnknownEndCustomer',
  MD07: 'EndCustomerDeceased',
  RC01: 'BankIdentifierIncorrect: the beneficiary bank code is wrong',
  RC07: 'InvalidCreditorBICIdentifier',
  RR03: 'MissingCreditorNameOrAddress',
};

/**
 * The treasury, its bank, the file, or the way: reissue as is. AC13 is InvalidDebtorAccountType
 * in the code set (AC14 is the creditor's), so it is debtor-side here: classing it beneficiary-side
 * would hold the payment until an account that is not at fault changes.
 */
export const DEBTOR_SIDE_CODES: Readonly<Record<string, string>> = {
  AB01: 'AbortedClearingTimeout',
  AB02: 'AbortedClearingFatalError',
  AB03: 'AbortedSettlementTimeout',
  AB04: 'AbortedSettlementFatalError',
  AC02: 'InvalidDebtorAccountNumber',
  AC05: 'ClosedDebtorAccountNumber',
  AC10: 'InvalidDebtorAccountCurrency',
  AC13: 'InvalidDebtorAccountType',
  AG01: 'TransactionForbidden: not allowed on the debtor account or under the agreement',
  AG02: 'InvalidBankOperationCode',
  AM01: 'ZeroAmount',
  AM02: 'NotAllowedAmount',
  AM03: 'NotAllowedCurrency',
  AM04: 'InsufficientFunds: the treasury account was short',
  AM05: 'Duplication',
  AM07: 'BlockedAmount',
  AM09: 'WrongAmount',
  AM10: 'InvalidControlSum',
  AM13: 'AmountExceedsClearingSystemLimit',
  AM14: 'AmountExceedsAgreedLimit',
  BE05: 'UnrecognisedInitiatingParty',
  BE07: 'MissingDebtorAddress',
  DT01: 'InvalidDate',
  FF01: 'InvalidFileFormat',
  MS03: 'NotSpecifiedReasonAgentGenerated',
  RR01: 'MissingDebtorAccountOrIdentification',
  RR02: 'MissingDebtorNameOrAddress',
  TM01: 'InvalidCutOffTime: received after the cut-off',
};

export function classifyReasonCode(reasonCode: string): ReasonClass {
  if (Object.hasOwn(BENEFICIARY_SIDE_CODES, reasonCode)) return 'beneficiary';
  if (Object.hasOwn(DEBTOR_SIDE_CODES, reasonCode)) return 'debtor';
  return 'unknown';
}

/** Whether a refusal for this reason is reissued only once the beneficiary's account changed. */
export function needsAccountFix(reasonCode: string): boolean {
  return classifyReasonCode(reasonCode) !== 'debtor';
}

/**
 * Whether reissuing this payment needs the beneficiary's account changed first: a rejection or
 * return for a beneficiary-side or unreadable reason does; a debtor-side one does not, nor an
 * outcome two officers decided was not credited (nothing says the account is wrong).
 */
export function reissueNeedsAccountFix(state: ExistingPayment): boolean {
  if (state.status === 'not-credited') return false;
  if (state.status === 'rejected' || state.status === 'returned') return needsAccountFix(state.reasonCode);
  return true;
}
