import { createHmac } from 'node:crypto';

/**
 * A beneficiary's id within a programme, derived from the programme and the NIK: enrolling the
 * same NIK twice gives the same id, whose stream already exists. Keyed (HMAC) rather than a
 * plain hash: NIKs are guessable (region, birth date, a 4-digit serial), and an id anyone can
 * recompute would tell whoever sees it whether a given person is enrolled.
 */
export function beneficiaryIdFor(key: string, programmeId: string, nik: string): string {
  const bytes = createHmac('sha256', key).update(`${programmeId}\n${nik}`, 'utf8').digest().subarray(0, 16);
  // UUID version 8 (custom), RFC 9562 variant.
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
