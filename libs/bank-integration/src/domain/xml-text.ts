import { describeUnsafeCharacter, ruleBroken, unsafeCharacterIn } from '@salur/kernel';

/**
 * Text as XML 1.0 element content or attribute value: the five markup characters escaped, and
 * characters XML 1.0 cannot carry at all refused (they never belong in a name or an account).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN_IN_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

export function escapeXmlText(text: string): string {
  if (FORBIDDEN_IN_XML.test(text)) throw new Error('Text holds a character XML 1.0 cannot carry');
  return text.replace(/[&<>"']/g, (character) => XML_ENTITIES[character]);
}

/**
 * Text the ledger puts into a bank file (a creditor's name) must be plain text as the kernel
 * defines it: a right-to-left override or a zero-width space would make the bank read a name
 * other than the one officers approved. Every request path refuses such text before it is
 * recorded, so finding it here means an older path let it into the log: a data error, not a
 * request to answer. Throws DomainError BANK_FILE_UNSAFE_TEXT naming `what` and the character
 * (never the text: it is personal data); the write job then fails for good, as for an erased
 * account, and no file is left behind.
 */
export function assertBankFileText(text: string, what: string): void {
  const found = unsafeCharacterIn(text);
  if (found === undefined) return;
  throw ruleBroken(
    'BANK_FILE_UNSAFE_TEXT',
    `${what} holds ${describeUnsafeCharacter(found)}, which no bank file may carry; ` +
      'cancel the batch and correct the record before paying it again',
  );
}

const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};
