import { amountOf, formatAmount, parsePositiveAmount, sumAmounts, type Amount } from '@salur/kernel';
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

export function checkHeader(header: CreditTransferFileHeader): void {
  if (!MAX35.test(header.messageId) || !MAX35.test(header.paymentInfoId)) {
    throw new BankFileContentError('MsgId and PmtInfId must be 1 to 35 printable characters');
  }
  if (!ISO_DATE.test(header.requestedExecutionDate)) throw new BankFileContentError('ReqdExctnDt must be YYYY-MM-DD');
  if (!Number.isInteger(header.count) || header.count < 1) throw new BankFileContentError('A file needs a transaction');
  checkParty(header.debtor, 'debtor');
  parseCanonical(header.controlSum, 'controlSum');
}

/** What the XSD leaves optional and Salur requires: a creditor with a name, an account and a bank. */
export function checkTransfer(transfer: CreditTransfer): Amount {
  if (!MAX35.test(transfer.endToEndId))
    throw new BankFileContentError('EndToEndId must be 1 to 35 printable characters');
  checkParty(transfer.creditor, `creditor of ${transfer.endToEndId}`);
  return parseCanonical(transfer.amount, `amount of ${transfer.endToEndId}`);
}

function checkParty(party: { name: string; accountNumber: string; bic: string }, who: string): void {
  if (party.name.trim().length === 0 || party.name.length > MAX_NAME_LENGTH) {
    throw new BankFileContentError(`The ${who} needs a name of 1 to ${MAX_NAME_LENGTH} characters`);
  }
  if (!ACCOUNT_NUMBER.test(party.accountNumber)) throw new BankFileContentError(`The ${who} needs an account number`);
  if (!BIC_PATTERN.test(party.bic)) throw new BankFileContentError(`The ${who} needs a bank (BIC)`);
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
 */
export class StreamedTotals {
  private count = 0;
  private sum: Amount = amountOf('0');

  constructor(private readonly header: Pick<CreditTransferFileHeader, 'count' | 'controlSum'>) {}

  add(amount: Amount): void {
    this.count++;
    if (this.count > this.header.count) {
      throw new BankFileContentError(`More lines than the ${this.header.count} the header announced`);
    }
    this.sum = sumAmounts([this.sum, amount]);
  }

  assertComplete(): { count: number; controlSum: string } {
    const controlSum = formatAmount(this.sum);
    if (this.count !== this.header.count || controlSum !== this.header.controlSum) {
      throw new BankFileContentError(
        `The lines add up to ${this.count} payments for ${controlSum}; the header says ${this.header.count} for ${this.header.controlSum}`,
      );
    }
    return { count: this.count, controlSum };
  }
}
