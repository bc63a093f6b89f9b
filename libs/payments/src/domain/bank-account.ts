/** Where a payment goes: the beneficiary's account as it was when the payment was batched. */
export interface BankAccountSnapshot {
  readonly bankCode: string;
  /** Digits as a string: leading zeros matter and the value may exceed 2^53. */
  readonly accountNumber: string;
  readonly accountHolderName: string;
}

export function sameAccount(left: BankAccountSnapshot, right: BankAccountSnapshot): boolean {
  return left.bankCode === right.bankCode && left.accountNumber === right.accountNumber;
}
