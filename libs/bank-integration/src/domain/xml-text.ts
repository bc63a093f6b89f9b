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

const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};
