/**
 * ISO 20022 identifiers are Max35Text; a payment id (a UUID) has 36 characters with its hyphens.
 * The EndToEndId is therefore the payment id's 32 hex digits without hyphens, and a bank result's
 * EndToEndId is turned back into the payment id by putting them back. Batch ids travel the same
 * way as MsgId and PmtInfId.
 */
const UUID = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/;
const COMPACT_UUID = /^([0-9a-f]{8})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{12})$/;

export function compactId(uuid: string): string {
  if (!UUID.test(uuid)) throw new Error(`'${uuid}' is not a lower-case UUID`);
  return uuid.replace(/-/g, '');
}

/** The payment (or batch) id an EndToEndId stands for, or undefined when it is not one of ours. */
export function idOfCompact(compact: string): string | undefined {
  const match = COMPACT_UUID.exec(compact.trim().toLowerCase());
  return match ? match.slice(1).join('-') : undefined;
}
