import { CanonicalizationError, hashedLeafOf, hashLeaf, leafRecordOf, type LoggableEvent } from '@salur/audit-log';

/** What the comparison needs of a stored leaf: its row in the audit database. */
export interface LeafRow {
  readonly leafIndex: number;
  readonly eventId: string;
  readonly stream: string;
  readonly revision: number;
  readonly eventType: string;
  readonly leafBytes: Uint8Array;
  readonly leafHash: Uint8Array;
}

/** Characters of a value quoted in a report: enough to tell 600000.00 from 500000.00. */
const MAX_QUOTED_CHARS = 60;

/**
 * Why a leaf is not the stored event it should be, or undefined when it is: its bytes must be
 * exactly what the audit-log writer makes of the event (the same `hashedLeafOf`), its hash
 * SHA-256(0x00 ‖ bytes), and its indexed columns the event's own. The bytes are compared first:
 * they are what an inspector hashes, and a difference there names the field that was edited.
 */
export function leafDisagreement(event: LoggableEvent, leaf: LeafRow): string | undefined {
  let expected: Buffer;
  try {
    expected = hashedLeafOf(event).bytes;
  } catch (error) {
    if (!(error instanceof CanonicalizationError)) throw error as Error;
    return `the stored event cannot be logged as it is (${error.message}), yet the log holds a leaf for it`;
  }
  if (!expected.equals(leaf.leafBytes)) {
    return `its bytes are not the stored event's: ${firstDifference(leafRecordOf(event), leaf.leafBytes)}`;
  }
  if (!hashLeaf(leaf.leafBytes).equals(leaf.leafHash)) return 'its stored leaf hash is not SHA-256(0x00 ‖ its bytes)';
  const columns: ReadonlyArray<readonly [string, unknown, unknown]> = [
    ['event id', leaf.eventId, event.id],
    ['stream', leaf.stream, event.streamName],
    ['revision', leaf.revision, event.revision],
    ['type', leaf.eventType, event.type],
  ];
  const wrong = columns.find(([, inLog, inStore]) => inLog !== inStore);
  return wrong && `its ${wrong[0]} column says ${quote(wrong[1])}, the stored event ${quote(wrong[2])}`;
}

function firstDifference(stored: unknown, leafBytes: Uint8Array): string {
  let logged: unknown;
  try {
    logged = JSON.parse(Buffer.from(leafBytes).toString('utf8'));
  } catch {
    return 'the leaf bytes are not JSON';
  }
  return (
    differenceAt('$', stored, logged) ??
    'the same record, but the leaf bytes are not its RFC 8785 form (spacing, key order or escapes differ)'
  );
}

/** The first path (keys in sorted order, as RFC 8785 lays them out) where the two values differ. */
function differenceAt(path: string, stored: unknown, logged: unknown): string | undefined {
  if (isRecord(stored) && isRecord(logged)) {
    const keys = [...new Set([...Object.keys(stored), ...Object.keys(logged)])].sort();
    for (const key of keys) {
      if (!Object.hasOwn(logged, key)) return `${path}.${key} is in the event store only`;
      if (!Object.hasOwn(stored, key)) return `${path}.${key} is in the log only`;
      const found = differenceAt(`${path}.${key}`, stored[key], logged[key]);
      if (found) return found;
    }
    return undefined;
  }
  if (Array.isArray(stored) && Array.isArray(logged)) {
    for (let index = 0; index < Math.max(stored.length, logged.length); index++) {
      const found = differenceAt(`${path}[${index}]`, stored[index], logged[index]);
      if (found) return found;
    }
    return undefined;
  }
  if (JSON.stringify(stored) === JSON.stringify(logged)) return undefined;
  return `${path} is ${quote(stored)} in the event store, ${quote(logged)} in the log`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function quote(value: unknown): string {
  const text = value === undefined ? 'absent' : JSON.stringify(value);
  return text.length <= MAX_QUOTED_CHARS ? text : `${text.slice(0, MAX_QUOTED_CHARS)}…`;
}
