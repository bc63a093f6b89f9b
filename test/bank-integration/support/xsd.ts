import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateXML } from 'xmllint-wasm';

export type Iso20022Schema = 'pain.001.001.09' | 'pain.002.001.10' | 'camt.053.001.08' | 'camt.054.001.08';

/** Validates a document against the unmodified ISO 20022 schema copied into test/bank-integration/xsd. */
export async function xsdErrors(xml: string, schema: Iso20022Schema): Promise<string[]> {
  const result = await validateXML({
    xml: [{ fileName: 'document.xml', contents: xml }],
    schema: [
      { fileName: `${schema}.xsd`, contents: readFileSync(join(__dirname, '..', 'xsd', `${schema}.xsd`), 'utf8') },
    ],
    maxMemoryPages: 4096,
  });
  return result.errors.map((error) => error.rawMessage);
}
