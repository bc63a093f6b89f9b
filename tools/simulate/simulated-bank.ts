import { amountOf, formatAmount } from '@salur/kernel';
import { DEFAULT_TREASURY, type Pain001Line, readPain001 } from '@salur/bank-integration';
import { createReadStream } from 'node:fs';
import {
  Camt054Writer,
  Pain002Writer,
  REJECTION_REASONS,
  RETURN_REASONS,
  type SimulatedFate,
  type SimulationOptions,
} from '../../libs/bank-integration/src/simulator/bank-simulator';
import type { SeededRandom } from './seeded-random';

/** Shares of the transfers and of the answers, each 0..1. */
export interface BankBehaviour {
  readonly rejectShare: number;
  readonly returnShare: number;
  /** Credited less than instructed: a deduction the ledger must flag as an exception. */
  readonly shortCreditShare: number;
  /** An answer file that never arrives. */
  readonly lostShare: number;
  /** An answer file sent twice: the same bytes, or written again with a new creation time. */
  readonly duplicateShare: number;
  /** An answer file that arrives many steps later (after the outcome timeout, sometimes). */
  readonly lateShare: number;
}

export const DEFAULT_BANK_BEHAVIOUR: BankBehaviour = {
  rejectShare: 0.1,
  returnShare: 0.05,
  shortCreditShare: 0.05,
  lostShare: 0.08,
  duplicateShare: 0.15,
  lateShare: 0.15,
};

/** A deduction a bank should never make (an illegal fee). */
const SHORT_CREDIT_DEDUCTION = '2500.00';
/** Steps an answer takes: on time, and late. */
const ON_TIME_STEPS = { min: 1, max: 4 } as const;
const LATE_STEPS = { min: 20, max: 80 } as const;

export interface BankAnswer {
  readonly name: string;
  readonly content: string;
  readonly deliverAtStep: number;
}

/**
 * The bank at the other end of the files: takes a submitted pain.001 (once per message id, as a
 * bank refuses a file it already has), decides each transfer's fate from the seed, and answers
 * with a pain.002 and a camt.054 (the writers of tools/bank-sim) that may be lost, sent twice or
 * sent late. The ledger never learns what the bank decided except through those files.
 */
export class SimulatedBank {
  private readonly received = new Set<string>();
  private pending: BankAnswer[] = [];
  readonly tally = { transfers: 0, rejected: 0, returned: 0, short: 0, lost: 0, duplicated: 0, late: 0 };

  constructor(
    private readonly random: SeededRandom,
    private readonly behaviour: BankBehaviour = DEFAULT_BANK_BEHAVIOUR,
  ) {}

  /** Hands the bank a pain.001 at this step and instant; a file it already has changes nothing. */
  async receive(pain001Path: string, step: number, now: string): Promise<void> {
    const lines: Pain001Line[] = [];
    for await (const line of readPain001(createReadStream(pain001Path))) lines.push(line);
    if (lines.length === 0 || this.received.has(lines[0].messageId)) return;
    this.received.add(lines[0].messageId);
    const fates = lines.map((line) => this.fateOf(line));
    const answer = (createdAt: string) => this.answersOf(lines, fates, createdAt);
    const [pain002, camt054] = answer(now);
    for (const [kind, content] of [
      ['pain002', pain002],
      ['camt054', camt054],
    ] as const) {
      const name = `${lines[0].messageId}.${kind}.xml`;
      if (this.random.chance(this.behaviour.lostShare)) {
        this.tally.lost++;
        continue;
      }
      this.send(name, content, step);
      if (!this.random.chance(this.behaviour.duplicateShare)) continue;
      this.tally.duplicated++;
      // The same answer again: the very bytes, or written again a minute later.
      const again = this.random.chance(0.5)
        ? content
        : answer(new Date(Date.parse(now) + 60_000).toISOString())[kind === 'pain002' ? 0 : 1];
      this.send(`${name}.again`, again, step);
    }
  }

  /** The answers due by this step, in the order they were sent; they leave the bank's outbox. */
  deliver(step: number): BankAnswer[] {
    const due = this.pending.filter((answer) => answer.deliverAtStep <= step);
    this.pending = this.pending.filter((answer) => answer.deliverAtStep > step);
    return due;
  }

  /** Answers the link failed to hand over (the ledger's process died): sent again at the next step. */
  resend(answers: readonly BankAnswer[], step: number): void {
    this.pending.push(...answers.map((answer) => ({ ...answer, deliverAtStep: step + 1 })));
  }

  private send(name: string, content: string, step: number): void {
    const late = this.random.chance(this.behaviour.lateShare);
    if (late) this.tally.late++;
    const delay = late
      ? this.random.between(LATE_STEPS.min, LATE_STEPS.max)
      : this.random.between(ON_TIME_STEPS.min, ON_TIME_STEPS.max);
    this.pending.push({ name, content, deliverAtStep: step + delay });
  }

  private fateOf(line: Pain001Line): SimulatedFate {
    this.tally.transfers++;
    const { rejectShare, returnShare, shortCreditShare } = this.behaviour;
    const draw = this.random.next();
    if (draw < rejectShare) {
      this.tally.rejected++;
      return { kind: 'rejected', reasonCode: this.random.pick([...REJECTION_REASONS, 'AM04']) };
    }
    if (draw < rejectShare + returnShare) {
      this.tally.returned++;
      return { kind: 'returned', reasonCode: this.random.pick(RETURN_REASONS), creditedAmount: line.amount };
    }
    const short = amountOf(line.amount).minus(amountOf(SHORT_CREDIT_DEDUCTION));
    if (draw < rejectShare + returnShare + shortCreditShare && short.greaterThan(0)) {
      this.tally.short++;
      return { kind: 'credited', creditedAmount: formatAmount(short) };
    }
    return { kind: 'credited', creditedAmount: line.amount };
  }

  private answersOf(
    lines: readonly Pain001Line[],
    fates: readonly SimulatedFate[],
    createdAt: string,
  ): [string, string] {
    const options: SimulationOptions = {
      rejectShare: 0,
      returnShare: 0,
      shortCreditShare: 0,
      shortCreditDeduction: SHORT_CREDIT_DEDUCTION,
      seed: 'salur-simulation',
      createdAt,
      valueDate: createdAt.slice(0, 10),
    };
    const pain002 = new Pain002Writer(options);
    const camt054 = new Camt054Writer(options, DEFAULT_TREASURY.accountNumber);
    let status = '';
    let notification = '';
    lines.forEach((line, index) => {
      status += pain002.line(line, fates[index]);
      notification += camt054.line(line, fates[index]);
    });
    return [status + pain002.close(), notification + camt054.close()];
  }
}
