import { createHash } from 'node:crypto';

/**
 * A UUID (version 5, RFC 9562) derived from a namespace and a name: the same inputs always give
 * the same id. A payment's id comes from (programme, period, beneficiary), so a second payment
 * for the same period would have the same id and its stream would already exist.
 * Hashing is pure: this is not I/O and not randomness.
 */
export function deterministicId(namespace: string, name: string): string {
  const bytes = createHash('sha1').update(parseUuid(namespace)).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function parseUuid(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new Error(`Namespace '${uuid}' is not a UUID`);
  return Buffer.from(hex, 'hex');
}

/** Salur's namespaces, fixed forever: changing one would change every derived id. */
export const ID_NAMESPACES = {
  payment: '4f0e1a52-8c3d-5b7e-9a61-2d7c5e9b0f31',
  event: '9b2d7c41-3e6a-5f08-b1d4-6a8e2c0f7d53',
} as const;
