import { loggedDataOf } from './batch-lines';
import { canonicalBytes, canonicalBytesAfter } from './jcs';
import { hashLeafPrefixed, LEAF_PREFIX } from './merkle';

/**
 * What the audit log records of one ledger event: the event as the store recorded it, minus the
 * store's own position (the leaf index takes its place: positions differ between stores and
 * need not be dense). Structurally the event store's RecordedEvent, named here so the domain
 * does not depend on the store.
 */
export interface LoggableEvent {
  readonly id: string;
  readonly streamName: string;
  readonly revision: number;
  readonly type: string;
  readonly recordedAt: string;
  readonly data: { readonly [key: string]: unknown };
  readonly metadata: { readonly [key: string]: unknown };
}

/** The leaf's JSON object: the fields of the issue, under these names. */
export interface LeafRecord {
  readonly id: string;
  readonly stream: string;
  readonly revision: number;
  readonly type: string;
  readonly data: { readonly [key: string]: unknown };
  readonly metadata: { readonly [key: string]: unknown };
  readonly recordedAt: string;
}

/** A leaf's record with its position in the log. */
export interface LoggedEvent {
  readonly leafIndex: number;
  readonly record: LeafRecord;
}

/**
 * The record a leaf holds: the event, except that a salur-batch/v2 batch event's line list is
 * summarised as `{linesRoot, count, total}` (batch-lines.ts).
 */
export function leafRecordOf(event: LoggableEvent): LeafRecord {
  return {
    id: event.id,
    stream: event.streamName,
    revision: event.revision,
    type: event.type,
    data: loggedDataOf(event.type, event.data),
    metadata: event.metadata,
    recordedAt: event.recordedAt,
  };
}

/**
 * The leaf bytes: RFC 8785 canonical JSON of the record, UTF-8. Numbers must be safe integers
 * (money is a decimal string in this ledger; a float or a number past 2^53 is a bug upstream),
 * and strings valid Unicode. An event that breaks this cannot be logged faithfully, so this
 * throws a CanonicalizationError naming the field rather than logging something else.
 */
export function leafBytesOf(event: LoggableEvent): Buffer {
  return canonicalBytes(leafRecordOf(event), { integersOnly: true });
}

/**
 * The leaf bytes and the leaf hash SHA-256(0x00 ‖ bytes) of an event, serialized once into one
 * buffer: `bytes` is a view of it (no copy), exactly the bytes hashed.
 */
export function hashedLeafOf(event: LoggableEvent): { readonly bytes: Buffer; readonly hash: Buffer } {
  const prefixed = canonicalBytesAfter(LEAF_PREFIX, leafRecordOf(event), { integersOnly: true });
  return { bytes: prefixed.subarray(LEAF_PREFIX.length), hash: hashLeafPrefixed(prefixed) };
}
