import { TextDecoder } from 'node:util';
import { SaxesParser, SaxesTagPlain } from 'saxes';

/**
 * Every bank file is read as a stream through saxes, which never fetches anything: no external
 * entity, no DTD. A DOCTYPE is refused outright (there is no reason for one in an ISO 20022
 * message, and it is how XXE and billion-laughs files start), and bytes, elements and depth are
 * bounded. Values stay the strings the file holds: nothing is converted to a number.
 */
export interface XmlLimits {
  readonly maxBytes: number;
  readonly maxElements: number;
  readonly maxDepth: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = {
  maxBytes: 64 * 1_048_576,
  maxElements: 5_000_000,
  maxDepth: 32,
};

export type BankFileRefusal =
  | 'DOCTYPE_REFUSED'
  | 'FILE_TOO_LARGE'
  | 'TOO_MANY_ELEMENTS'
  | 'TOO_DEEP'
  | 'MALFORMED_XML'
  | 'UNSUPPORTED_ENCODING'
  | 'UNSUPPORTED_MESSAGE'
  | 'WRONG_NAMESPACE'
  | 'MALFORMED_CSV'
  | 'TOO_MANY_EXCEPTIONS';

/** The file as a whole cannot be read: permanent, nothing of it is applied. */
export class BankFileRefusedError extends Error {
  constructor(
    readonly code: BankFileRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'BankFileRefusedError';
  }
}

/** Fields of one element subtree, keyed by their path below it (`Refs/EndToEndId`, `Amt@Ccy`). */
export type XmlFields = ReadonlyMap<string, string>;

export interface XmlRecordSpec {
  /**
   * The namespace of the Document: it names the message and its version. Another version of the
   * same message (pain.002.001.03 for .10) reuses the element names with other meanings, so a
   * file in another namespace, or in none, is refused rather than read by its local names.
   */
  readonly namespace: string;
  /** The local name of the element right under Document, which names the message. */
  readonly messages: readonly string[];
  /** Elements whose fields are collected and emitted as one record when they close. */
  readonly record: string;
  /** Elements whose fields give the context of the records inside them (reset when one opens). */
  readonly contexts: readonly string[];
}

export interface XmlRecord {
  readonly message: string;
  readonly header: XmlFields;
  readonly contexts: ReadonlyMap<string, XmlFields>;
  readonly fields: XmlFields;
}

interface Scope {
  readonly name: string;
  readonly depth: number;
  readonly fields: Map<string, string>;
}

const MAX_FIELDS_PER_SCOPE = 500;

/** Streams the records of one ISO 20022 message; throws BankFileRefusedError for a file it will not read. */
export async function* readXmlRecords(
  source: AsyncIterable<Buffer | string>,
  spec: XmlRecordSpec,
  limits: XmlLimits = DEFAULT_XML_LIMITS,
): AsyncGenerator<XmlRecord> {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const ready: XmlRecord[] = [];
  const path: string[] = [];
  // joined[i] is path[0..i] joined by '/': a field's key is a slice of it, not a join per field.
  const joined: string[] = [];
  const texts: string[] = [];
  const header = new Map<string, string>();
  const contexts = new Map<string, Map<string, string>>();
  let message: string | undefined;
  let record: Scope | undefined;
  let context: Scope | undefined;
  let elements = 0;
  let bytes = 0;
  let documentAttributes: SaxesTagPlain['attributes'] = {};

  const refuse = (code: BankFileRefusal, text: string): never => {
    throw new BankFileRefusedError(code, text);
  };
  const below = (depth: number): string => joined[joined.length - 1].slice(joined[depth].length + 1);
  const keyBelow = (scope: Scope, leaf = ''): string => below(scope.depth) + leaf;
  const store = (fields: Map<string, string>, key: string, value: string) => {
    if (fields.size >= MAX_FIELDS_PER_SCOPE) refuse('TOO_MANY_ELEMENTS', 'An entry holds too many fields');
    if (!fields.has(key)) fields.set(key, value);
  };

  parser.on('doctype', () => refuse('DOCTYPE_REFUSED', 'The file declares a DOCTYPE; bank files must not'));
  parser.on('xmldecl', (declaration) => {
    const encoding = declaration.encoding?.toLowerCase();
    if (encoding !== undefined && encoding !== 'utf-8' && encoding !== 'utf8') {
      refuse('UNSUPPORTED_ENCODING', `The file is declared ${declaration.encoding}; only UTF-8 is read`);
    }
  });
  parser.on('error', (error) => refuse('MALFORMED_XML', `Not well-formed XML: ${error.message}`));
  parser.on('opentag', (tag: SaxesTagPlain) => {
    if (++elements > limits.maxElements) refuse('TOO_MANY_ELEMENTS', `More than ${limits.maxElements} elements`);
    const name = localName(tag.name);
    path.push(name);
    joined.push(joined.length === 0 ? name : `${joined[joined.length - 1]}/${name}`);
    texts.push('');
    if (path.length > limits.maxDepth) refuse('TOO_DEEP', `Elements nested deeper than ${limits.maxDepth}`);
    if (path.length === 1 && name !== 'Document') refuse('UNSUPPORTED_MESSAGE', `The root element is ${name}`);
    if (path.length <= 2) {
      // The Document and the message element must both be in the expected namespace.
      if (path.length === 1) documentAttributes = tag.attributes;
      const found = namespaceOf(tag, path.length === 1 ? {} : documentAttributes);
      if (found !== spec.namespace) {
        refuse('WRONG_NAMESPACE', `Expected namespace ${spec.namespace}, found ${found ?? 'no namespace'}`);
      }
    }
    if (path.length === 2) {
      if (!spec.messages.includes(name)) refuse('UNSUPPORTED_MESSAGE', `${name} is not a message read here`);
      message = name;
    }
    if (spec.contexts.includes(name)) {
      context = { name, depth: path.length - 1, fields: new Map() };
      contexts.set(name, context.fields);
    } else if (name === spec.record) {
      record = { name, depth: path.length - 1, fields: new Map() };
    }
    const target = record ?? context;
    if (target) {
      for (const [attribute, value] of Object.entries(tag.attributes)) {
        store(target.fields, keyBelow(target, `@${localName(attribute)}`), String(value).trim());
      }
    }
  });
  parser.on('text', (text) => {
    if (texts.length > 0) texts[texts.length - 1] += text;
  });
  parser.on('cdata', (text) => {
    if (texts.length > 0) texts[texts.length - 1] += text;
  });
  parser.on('closetag', () => {
    const value = (texts.pop() ?? '').trim();
    const depth = path.length - 1;
    if (value) {
      if (record && depth > record.depth) store(record.fields, keyBelow(record), value);
      else if (context && depth > context.depth) store(context.fields, keyBelow(context), value);
      else if (depth >= 2 && header.size < MAX_FIELDS_PER_SCOPE && !header.has(below(1))) {
        // Outside every entry: the group header and the like; the first occurrence counts.
        header.set(below(1), value);
      }
    }
    if (record && depth === record.depth) {
      ready.push({ message: message ?? '', header, contexts: copyOf(contexts), fields: record.fields });
      record = undefined;
    } else if (context && depth === context.depth) {
      context = undefined;
    }
    path.pop();
    joined.pop();
  });

  for await (const chunk of source) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    bytes += buffer.length;
    if (bytes > limits.maxBytes) refuse('FILE_TOO_LARGE', `The file is larger than ${limits.maxBytes} bytes`);
    parser.write(decode(decoder, buffer, false));
    yield* ready.splice(0);
  }
  parser.write(decode(decoder, Buffer.alloc(0), true));
  parser.close();
  yield* ready.splice(0);
  if (message === undefined) refuse('UNSUPPORTED_MESSAGE', 'The file holds no ISO 20022 message');
}

function decode(decoder: TextDecoder, bytes: Buffer, end: boolean): string {
  try {
    return decoder.decode(bytes, { stream: !end });
  } catch {
    throw new BankFileRefusedError('UNSUPPORTED_ENCODING', 'The file is not valid UTF-8');
  }
}

/** The namespace of an element, from its own declarations, else those of its parent (the Document). */
function namespaceOf(tag: SaxesTagPlain, parentAttributes: SaxesTagPlain['attributes']): string | undefined {
  const colon = tag.name.indexOf(':');
  const declaration = colon === -1 ? 'xmlns' : `xmlns:${tag.name.slice(0, colon)}`;
  const value = tag.attributes[declaration] ?? parentAttributes[declaration];
  return value === undefined || value === '' ? undefined : String(value);
}

function localName(qualified: string): string {
  const colon = qualified.indexOf(':');
  return colon === -1 ? qualified : qualified.slice(colon + 1);
}

function copyOf(contexts: Map<string, Map<string, string>>): ReadonlyMap<string, XmlFields> {
  return new Map(contexts);
}
