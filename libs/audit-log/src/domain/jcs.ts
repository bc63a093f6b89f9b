/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): one byte sequence per JSON value, so a hash of
 * the bytes identifies the value. Keys are sorted by their UTF-16 code units (what JavaScript's
 * default sort compares), strings are escaped minimally (only `"`, `\` and U+0000..U+001F, the
 * short forms \b \t \n \f \r where they exist, else \u00xx in lower case), numbers are written
 * as ECMAScript's Number.prototype.toString writes them (RFC 8785 section 3.2.2.3 adopts exactly
 * that algorithm), and there is no whitespace.
 *
 * Values JCS cannot represent are refused rather than approximated: NaN and the infinities,
 * strings with lone surrogates (not valid Unicode, so not valid I-JSON), and anything that is not
 * JSON data (undefined, functions, symbols, bigints, class instances).
 */

export class CanonicalizationError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'CanonicalizationError';
  }
}

/** Nesting deeper than this is refused: JSON from the ledger is a few levels deep. */
export const MAX_CANONICAL_DEPTH = 64;

export interface CanonicalizeOptions {
  /**
   * Refuse numbers that are not integers in ±(2^53 − 1). The audit log sets it: an amount is a
   * decimal string, and a number outside that range was rounded before it reached the ledger.
   */
  readonly integersOnly?: boolean;
}

export function canonicalize(value: unknown, options: CanonicalizeOptions = {}): string {
  try {
    return fast(value, 0, options.integersOnly === true);
  } catch (error) {
    if (error !== REFUSED) throw error;
  }
  // Something is refused: walk again, keeping paths, to name the field (the fast walk keeps none).
  const parts: string[] = [];
  write(value, '$', 0, options, parts);
  throw new Error('canonicalize: the fast walk refused a value that the checked walk accepts');
}

/** The UTF-8 bytes of the canonical form: what the audit log hashes. */
export function canonicalBytes(value: unknown, options: CanonicalizeOptions = {}): Buffer {
  return Buffer.from(canonicalize(value, options), 'utf8');
}

/**
 * The UTF-8 bytes of the canonical form behind `prefix` bytes in one buffer, so a leaf can be
 * hashed as 0x00 ‖ bytes without copying it: returns the whole buffer; the canonical bytes are
 * `subarray(prefix.length)`.
 */
export function canonicalBytesAfter(prefix: Uint8Array, value: unknown, options: CanonicalizeOptions = {}): Buffer {
  const text = canonicalize(value, options);
  const buffer = Buffer.allocUnsafe(prefix.length + Buffer.byteLength(text, 'utf8'));
  buffer.set(prefix, 0);
  buffer.write(text, prefix.length, 'utf8');
  return buffer;
}

/** Thrown by the fast walk on anything it refuses; the checked walk then says what and where. */
const REFUSED = Symbol('refused');

interface MaybeWellFormed {
  isWellFormed(): boolean;
}

/**
 * The same serialization as `write`, without building a path per field (most of its cost) and
 * with string concatenation (V8 ropes) instead of a parts array. Node 20's isWellFormed is the
 * lone-surrogate test.
 */
function fast(value: unknown, depth: number, integersOnly: boolean): string {
  if (depth > MAX_CANONICAL_DEPTH) throw REFUSED;
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return fastString(value);
    case 'number':
      if (!Number.isFinite(value) || (integersOnly && !Number.isSafeInteger(value))) throw REFUSED;
      return Object.is(value, -0) ? '0' : String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (Array.isArray(value)) {
        let text = '[';
        for (let i = 0; i < value.length; i++) text += (i > 0 ? ',' : '') + fast(value[i], depth + 1, integersOnly);
        return text + ']';
      }
      if (!isPlainObject(value)) throw REFUSED;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      let text = '{';
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        text += (i > 0 ? ',' : '') + fastString(key) + ':' + fast(record[key], depth + 1, integersOnly);
      }
      return text + '}';
    }
    default:
      throw REFUSED;
  }
}

function fastString(value: string): string {
  if (!(value as unknown as MaybeWellFormed).isWellFormed()) throw REFUSED;
  return JSON.stringify(value);
}

function write(value: unknown, path: string, depth: number, options: CanonicalizeOptions, out: string[]): void {
  if (depth > MAX_CANONICAL_DEPTH) throw new CanonicalizationError(path, `nested deeper than ${MAX_CANONICAL_DEPTH}`);
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      out.push(serializeNumber(value, path, options));
      return;
    case 'string':
      out.push(serializeString(value, path));
      return;
    case 'object':
      if (Array.isArray(value)) {
        writeArray(value, path, depth, options, out);
        return;
      }
      if (!isPlainObject(value)) throw new CanonicalizationError(path, 'is an object that is not plain JSON data');
      writeObject(value as Record<string, unknown>, path, depth, options, out);
      return;
    default:
      throw new CanonicalizationError(path, `a ${typeof value} is not JSON`);
  }
}

function writeArray(
  value: readonly unknown[],
  path: string,
  depth: number,
  options: CanonicalizeOptions,
  out: string[],
): void {
  out.push('[');
  value.forEach((element, index) => {
    if (index > 0) out.push(',');
    write(element, `${path}[${index}]`, depth + 1, options, out);
  });
  out.push(']');
}

function writeObject(
  value: Record<string, unknown>,
  path: string,
  depth: number,
  options: CanonicalizeOptions,
  out: string[],
): void {
  // Default sort compares UTF-16 code units, the order RFC 8785 section 3.2.3 prescribes.
  const keys = Object.keys(value).sort();
  out.push('{');
  keys.forEach((key, index) => {
    if (index > 0) out.push(',');
    out.push(serializeString(key, `${path} key`));
    out.push(':');
    write(value[key], `${path}.${key}`, depth + 1, options, out);
  });
  out.push('}');
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function serializeNumber(value: number, path: string, options: CanonicalizeOptions): string {
  if (!Number.isFinite(value)) throw new CanonicalizationError(path, `${value} has no JSON form`);
  if (options.integersOnly && !Number.isSafeInteger(value)) {
    throw new CanonicalizationError(
      path,
      `${value} is not an integer within ±(2^53 − 1); amounts and large identifiers belong in strings`,
    );
  }
  // ECMAScript's Number-to-String is RFC 8785's number serialization; -0 becomes "0" as required.
  return Object.is(value, -0) ? '0' : String(value);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function serializeString(value: string, path: string): string {
  if (LONE_SURROGATE.test(value)) throw new CanonicalizationError(path, 'contains a lone surrogate (not Unicode)');
  // With no lone surrogates, JSON.stringify escapes exactly as RFC 8785 section 3.2.2.2 says.
  return JSON.stringify(value);
}
