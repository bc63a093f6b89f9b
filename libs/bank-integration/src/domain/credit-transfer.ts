import { amountOf, formatAmount, parsePositiveAmount, ZERO, type Amount } from '@salur/kernel';
import { BIC_PATTERN, type TreasuryAccount } from './bank-routing';

/** What every bank file of a batch says once, before its transactions. */
export interface CreditTransferFileHeader {
  /** GrpHdr/MsgId and PmtInf/PmtInfId (Max35Text): the batch id without hyphens. */
  readonly messageId: string;
  readonly paymentInfoId: string;
  /** GrpHdr/CreDtTm: the batch's approval instant, so the same batch always gives the same bytes. */
  readonly createdAt: string;
  /** YYYY-MM-DD. */
  readonly requestedExecutionDate: string;
  /** From the batch's events: the header states them before a single line is streamed. */
  readonly count: number;
  readonly controlSum: string;
  readonly currency: 'IDR';
  readonly debtor: TreasuryAccount;
  /** Unstructured remittance text for every line, e.g. `BANTU-UMAK-2026 2026-11`. */
  readonly remittanceInformation: string;
}

/** One credit transfer to a beneficiary. Creditor, creditor account and creditor agent are required here. */
export interface CreditTransfer {
  readonly endToEndId: string;
  /** Canonical decimal string. */
  readonly amount: string;
  readonly bankCode: string;
  readonly creditor: { readonly name: string; readonly accountNumber: string; readonly bic: string };
}

/** A file that would not say what the batch says: the job fails for good, the file is discarded. */
export class BankFileContentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BankFileContentError';
  }
}

const MAX35 = /^[\x21-\x7e]{1,35}$/;
const ACCOUNT_NUMBER = /^[0-9]{6,34}$/;
const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const MAX_NAME_LENGTH = 140;
/** Distinct amounts counted before their lines are added into the running sum (a bound on memory). */
const MAX_DISTINCT_AMOUNTS = 1_024;

export function checkHeader(header: CreditTransferFileHeader): void {
  if (!MAX35.test(header.messageId) || !MAX35.test(header.paymentInfoId)) {
    throw new BankFileContentError('MsgId and PmtInfId must be 1 to 35 printable characters');
  }
  if (!ISO_DATE.test(header.requestedExecutionDate)) throw new BankFileContentError('ReqdExctnDt must be YYYY-MM-DD');
  if (!Number.isInteger(header.count) || header.count < 1) throw new BankFileContentError('A file needs a transaction');
  checkParty(header.debtor, 'debtor');
  parseCanonical(header.controlSum, 'controlSum');
}

/**
 * What the XSD leaves optional and Salur requires: a creditor with a name, an account and a
 * bank. After it the account holds digits only and the BIC letters and digits; the amount is
 * checked by StreamedTotals.add.
 */
export function checkTransfer(transfer: CreditTransfer): void {
  if (!MAX35.test(transfer.endToEndId))
    throw new BankFileContentError('EndToEndId must be 1 to 35 printable characters');
  checkParty(transfer.creditor, () => `creditor of ${transfer.endToEndId}`);
}

/** `who` is built only for the message: a million lines should not build a million of them. */
function checkParty(party: { name: string; accountNumber: string; bic: string }, who: string | (() => string)): void {
  const name = () => (typeof who === 'string' ? who : who());
  if (party.name.trim().length === 0 || party.name.length > MAX_NAME_LENGTH) {
    throw new BankFileContentError(`The ${name()} needs a name of 1 to ${MAX_NAME_LENGTH} characters`);
  }
  if (!ACCOUNT_NUMBER.test(party.accountNumber))
    throw new BankFileContentError(`The ${name()} needs an account number`);
  if (!BIC_PATTERN.test(party.bic)) throw new BankFileContentError(`The ${name()} needs a bank (BIC)`);
}

function parseCanonical(text: string, what: string): Amount {
  let amount: Amount;
  try {
    amount = parsePositiveAmount(text, what);
  } catch {
    throw new BankFileContentError(`The ${what} '${text}' is not a positive amount`);
  }
  if (formatAmount(amount) !== text) throw new BankFileContentError(`The ${what} '${text}' is not canonical`);
  return amount;
}

/**
 * Counts and sums the lines as they stream, and at the end checks them against what the
 * header announced: a file whose lines do not add up to its own header never leaves.
 *
 * A round pays most beneficiaries the same benefit, so the lines are counted per distinct
 * amount text, each text checked (canonical, positive) the first time it appears, and the sum
 * is a few exact decimal multiplications instead of a parse and an addition per line (which,
 * with the garbage they made, were a fifth of a million-line file's time).
 */
export class StreamedTotals {
  private count = 0;
  private readonly linesByAmount = new Map<string, number>();
  private folded: Amount = ZERO;

  constructor(private readonly header: Pick<CreditTransferFileHeader, 'count' | 'controlSum'>) {}

  /** Throws BankFileContentError for a line over the header's count or an amount that is not canonical. */
  add(amount: string, endToEndId: string): void {
    this.count++;
    if (this.count > this.header.count) {
      throw new BankFileContentError(`More lines than the ${this.header.count} the header announced`);
    }
    const lines = this.linesByAmount.get(amount);
    if (lines !== undefined) {
      this.linesByAmount.set(amount, lines + 1);
      return;
    }
    parseCanonical(amount, `amount of ${endToEndId}`);
    if (this.linesByAmount.size >= MAX_DISTINCT_AMOUNTS) this.fold();
    this.linesByAmount.set(amount, 1);
  }

  assertComplete(): { count: number; controlSum: string } {
    this.fold();
    const controlSum = formatAmount(this.folded);
    if (this.count !== this.header.count || controlSum !== this.header.controlSum) {
      throw new BankFileContentError(
        `The lines add up to ${this.count} payments for ${controlSum}; the header says ${this.header.count} for ${this.header.controlSum}`,
      );
    }
    return { count: this.count, controlSum };
  }

  private fold(): void {
    for (const [amount, lines] of this.linesByAmount) this.folded = this.folded.plus(amountOf(amount).times(lines));
    this.linesByAmount.clear();
  }
}
