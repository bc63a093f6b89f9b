import { ERASED_VALUE, type Role } from '@salur/kernel';

/** Who sees NIK, KK and account numbers in clear: one policy for every capability that shows them. */
export interface Viewer {
  readonly role: Role;
  readonly grants: readonly string[];
}

export const PII_GRANT = 'pii';

/** Enrolment officers type these numbers in; an inspector sees them only with the 'pii' grant. */
export function seesIdentityNumbers(viewer: Viewer): boolean {
  return viewer.role === 'enrolment-officer' || viewer.role === 'admin' || isGrantedInspector(viewer);
}

/** The bank-integration job writes them into bank files; nobody else needs them whole. */
export function seesAccountNumbers(viewer: Viewer): boolean {
  return seesIdentityNumbers(viewer) || viewer.role === 'bank-integration';
}

/** An inspector with the pii grant: the reads of personal data that are recorded (PersonalDataViewed). */
export function isGrantedInspector(viewer: Viewer): boolean {
  return viewer.role === 'inspector' && viewer.grants.includes(PII_GRANT);
}

/**
 * `1606********0003`: enough to tell records apart on a screen, not enough to use. An erased value
 * stays '[erased]' for everyone: there is nothing left to hide, and the reader must see why.
 */
export function mask(value: string): string {
  if (value === ERASED_VALUE) return value;
  if (value.length <= 8) return '*'.repeat(value.length);
  return `${value.slice(0, 4)}${'*'.repeat(value.length - 8)}${value.slice(-4)}`;
}

const IDENTITY_KEYS = new Set(['nik', 'kk']);
const ACCOUNT_KEYS = new Set(['accountNumber']);
/** Nesting of event data is bounded by the API's body depth (32); this is a guard against a cycle. */
const MAX_DEPTH = 64;

/**
 * An event's data as the viewer may see it: every `nik`, `kk` and `accountNumber` field, at any
 * depth, masked unless the viewer sees it. `revealed` says whether a clear number was left in.
 */
export function maskData(data: unknown, viewer: Viewer): { readonly data: unknown; readonly revealed: boolean } {
  const identity = seesIdentityNumbers(viewer);
  const account = seesAccountNumbers(viewer);
  let revealed = false;
  const walk = (value: unknown, depth: number): unknown => {
    if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((item) => walk(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      const sensitive = IDENTITY_KEYS.has(key) ? identity : ACCOUNT_KEYS.has(key) ? account : undefined;
      if (sensitive === undefined || typeof field !== 'string') out[key] = walk(field, depth + 1);
      // An erased number reveals nothing: shown as it is, and no reason to record a read.
      else if (field === ERASED_VALUE) out[key] = field;
      else if (sensitive) {
        out[key] = field;
        revealed = true;
      } else out[key] = mask(field);
    }
    return out;
  };
  return { data: walk(data, 0), revealed };
}
