import type { Role } from '@salur/kernel';

/** Who may see NIK, KK and account numbers in clear, and why. */
export interface Viewer {
  readonly role: Role;
  readonly grants: readonly string[];
}

export const PII_GRANT = 'pii';

/** Enrolment officers type these numbers in; an inspector sees them only with the 'pii' grant. */
export function seesIdentityNumbers(viewer: Viewer): boolean {
  return viewer.role === 'enrolment-officer' || viewer.role === 'admin' || hasPiiGrant(viewer);
}

/** The bank-integration job writes them into bank files; nobody else needs them whole. */
export function seesAccountNumbers(viewer: Viewer): boolean {
  return seesIdentityNumbers(viewer) || viewer.role === 'bank-integration';
}

function hasPiiGrant(viewer: Viewer): boolean {
  return viewer.role === 'inspector' && viewer.grants.includes(PII_GRANT);
}

/** `1606********0003`: enough to tell records apart on a screen, not enough to use. */
export function mask(value: string): string {
  if (value.length <= 8) return '*'.repeat(value.length);
  return `${value.slice(0, 4)}${'*'.repeat(value.length - 8)}${value.slice(-4)}`;
}
