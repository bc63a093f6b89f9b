import type { BankResultLine } from './bank-result-line';
import { idOfCompact } from './end-to-end-id';

/** What a line says about its payment, one bit each; 0 for a line that says nothing final. */
const CREDITED = 1;
const REJECTED = 2;
const RETURNED = 4;
const SETTLED = 8;
const OUTCOME_BITS = 16;
/** The outcomes a file may state once per payment: a second line with the same one is a duplicate. */
const STATED_ONCE = CREDITED | REJECTED | RETURNED;
/** What contradicts a rejection: the money left (ACSC) or reached the creditor (credit, ACCC, return). */
const PAID = CREDITED | RETURNED | SETTLED;

/**
 * pain.002 statuses that say the transfer was settled (ACSC) or credited to the creditor (ACCC).
 * Earlier acceptances (ACTC, ACCP, ACSP, ACWC) may still be followed by a rejection, and contradict nothing.
 */
const SETTLED_STATUSES: ReadonlySet<string> = new Set(['ACSC', 'ACCC']);

const WORDS: ReadonlyArray<readonly [number, string]> = [
  [REJECTED, 'rejected'],
  [SETTLED, 'settled (ACSC/ACCC)'],
  [CREDITED, 'credited'],
  [RETURNED, 'returned'],
];

export const CONFLICTING_STATUS_DETAIL = 'none of its lines stating an outcome for this payment was applied';

/**
 * What one result file says about each payment of ours, as its lines are read: which final
 * outcomes, on how many lines. A file that both rejects a payment and reports it settled,
 * credited or returned contradicts itself: neither line can be believed, so every line of it
 * stating an outcome for that payment goes to the exception queue (CONFLICTING_STATUS) and none
 * is applied, whichever comes first in the file. Pure; keyed by the payment id's 128 bits as one
 * number (strings cut out of the parser's text kept their 64 KiB chunks alive), one entry per
 * payment whatever its lines, its outcomes and line count packed in one small integer.
 */
export class OutcomesInFile {
  private readonly byPayment = new Map<bigint, number>();

  /** Notes the line; true when its outcome for its payment is listed earlier in this file (a duplicate). */
  add(line: BankResultLine): boolean {
    const bit = bitOf(line);
    const key = bit === 0 ? undefined : keyOf(line);
    if (key === undefined) return false;
    const noted = this.byPayment.get(key) ?? 0;
    this.byPayment.set(key, (noted | bit) + OUTCOME_BITS);
    return (noted & bit & STATED_ONCE) !== 0;
  }

  /** The payments this file, read whole, states conflicting outcomes for. */
  conflicts(): ConflictingOutcomes {
    const conflicting = new Map<bigint, number>();
    let lines = 0;
    for (const [key, noted] of this.byPayment) {
      if (!isConflicting(noted)) continue;
      conflicting.set(key, noted);
      lines += Math.floor(noted / OUTCOME_BITS);
    }
    return new ConflictingOutcomes(conflicting, lines);
  }
}

/** The payments a whole file states conflicting outcomes for: usually none. */
export class ConflictingOutcomes {
  constructor(
    private readonly byPayment: ReadonlyMap<bigint, number>,
    /** How many of the file's lines state one of those outcomes: each becomes an exception. */
    readonly lines: number,
  ) {}

  /** Why the line may not be applied, or undefined when its payment's outcomes in this file agree. */
  detailOf(line: BankResultLine): string | undefined {
    if (this.byPayment.size === 0 || bitOf(line) === 0) return undefined;
    const key = keyOf(line);
    const noted = key === undefined ? undefined : this.byPayment.get(key);
    if (noted === undefined) return undefined;
    const said = WORDS.filter(([bit]) => (noted & bit) !== 0).map(([, word]) => word);
    const outcomes = said.join(' and ');
    return `This file states conflicting outcomes for this payment (${outcomes}); ${CONFLICTING_STATUS_DETAIL}`;
  }
}

function isConflicting(noted: number): boolean {
  return (noted & REJECTED) !== 0 && (noted & PAID) !== 0;
}

function bitOf(line: BankResultLine): number {
  switch (line.outcome) {
    case 'credited':
      return CREDITED;
    case 'rejected':
      return REJECTED;
    case 'returned':
      return RETURNED;
    case 'accepted':
      return line.status !== undefined && SETTLED_STATUSES.has(line.status) ? SETTLED : 0;
    default:
      return 0;
  }
}

/** The payment id's 128 bits; undefined for a line naming no payment of ours (an exception anyway). */
function keyOf(line: BankResultLine): bigint | undefined {
  const paymentId = idOfCompact(line.endToEndId);
  return paymentId === undefined ? undefined : BigInt(`0x${paymentId.replace(/-/g, '')}`);
}
