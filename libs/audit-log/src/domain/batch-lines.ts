import {
  amountOf,
  BATCH_CONTENT_FORMAT,
  batchLinesTree,
  formatAmount,
  sortBatchLines,
  sumAmounts,
  type BatchLinesTree,
} from '@salur/kernel';
import { CanonicalizationError } from './jcs';

/*
 * Batch events of salur-batch/v2 (`data.contentFormat`) enter the log without their line lists:
 * the leaf keeps `payments: {linesRoot, count, total}` (the tree in @salur/kernel's
 * batch-content-tree.ts), so a payment proof carries its own line and an inclusion path, not the
 * batch. Events without the marker keep their full leaf, so proofs of them verify as before.
 * The event store keeps the full event; the log keeps BatchCreated's lines beside its leaf
 * (audit_log_batch_lines) to serve the paths.
 */

/** Events whose `data.payments` a v2 leaf summarises. */
const SUMMARISED_TYPES: ReadonlySet<string> = new Set(['BatchCreated', 'BatchCreationStarted']);
const AMOUNT = /^(0|[1-9][0-9]{0,14})(\.[0-9]{1,2})?$/;

export interface LinesSummary {
  /** Hex RFC 9162 root of the lines. */
  readonly linesRoot: string;
  readonly count: number;
  /** Canonical two-decimal sum of the lines' amounts. */
  readonly total: string;
}

/** A line as it is hashed: BatchCreated's 5 fields, BatchCreationStarted's `[paymentId, amount]`. */
export type HashedBatchLine = readonly (string | number)[];

export function isV2BatchLines(type: string, data: { readonly [key: string]: unknown }): boolean {
  return SUMMARISED_TYPES.has(type) && data.contentFormat === BATCH_CONTENT_FORMAT;
}

/**
 * The lines of a v2 batch event in tree order. BatchCreated's are
 * `[paymentId, beneficiaryId, amount, bankCode, beneficiaryRevision]`; BatchCreationStarted's,
 * written before the accounts are claimed, `[paymentId, amount]`. A malformed list cannot be
 * summarised faithfully: like an unloggable value, it stops the log (CanonicalizationError).
 */
export function batchLinesOf(type: string, data: { readonly [key: string]: unknown }): HashedBatchLine[] {
  const payments = data.payments;
  if (!Array.isArray(payments)) throw new CanonicalizationError('$.data.payments', 'is not a list of lines');
  const lines = payments.map((raw: unknown, index): HashedBatchLine => {
    const at = `$.data.payments[${index}]`;
    if (typeof raw !== 'object' || raw === null) throw new CanonicalizationError(at, 'is not a line');
    const line = raw as Record<string, unknown>;
    const text = (field: string) => {
      const value = line[field];
      if (typeof value !== 'string') throw new CanonicalizationError(`${at}.${field}`, 'is not a string');
      return value;
    };
    const amount = text('amount');
    if (!AMOUNT.test(amount)) throw new CanonicalizationError(`${at}.amount`, 'is not a decimal amount');
    if (type === 'BatchCreationStarted') return [text('paymentId'), amount];
    const revision = line.beneficiaryRevision;
    if (!Number.isSafeInteger(revision) || (revision as number) < 0)
      throw new CanonicalizationError(`${at}.beneficiaryRevision`, 'is not a revision');
    return [text('paymentId'), text('beneficiaryId'), amount, text('bankCode'), revision as number];
  });
  return sortBatchLines(lines);
}

export function summaryOfLines(lines: readonly HashedBatchLine[], tree?: BatchLinesTree): LinesSummary {
  const amountIndex = lines[0]?.length === 2 ? 1 : 2;
  return {
    linesRoot: (tree ?? batchLinesTree(lines)).root,
    count: lines.length,
    total: formatAmount(sumAmounts(lines.map((line) => amountOf(String(line[amountIndex]))))),
  };
}

/** The event's data as its leaf holds it: the line list of a v2 batch event replaced by its summary. */
export function loggedDataOf(
  type: string,
  data: { readonly [key: string]: unknown },
): { readonly [key: string]: unknown } {
  if (!isV2BatchLines(type, data)) return data;
  return { ...data, payments: summaryOfLines(batchLinesOf(type, data)) };
}
