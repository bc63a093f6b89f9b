/*
 * Paths into event data: `bankAccount.accountNumber`, `items[].account.accountNumber`. Reading
 * and replacing are copy-on-write: the caller's objects are never changed.
 */

type Segment = string | '[]';

const MAX_SEGMENTS = 16;

export function segmentsOf(path: string): Segment[] {
  const segments: Segment[] = [];
  for (const part of path.split('.')) {
    if (part.endsWith('[]')) segments.push(part.slice(0, -2), '[]');
    else segments.push(part);
  }
  if (segments.length > MAX_SEGMENTS || segments.some((segment) => segment === '')) {
    throw new Error(`Personal-data path '${path}' is malformed`);
  }
  return segments;
}

/**
 * A copy of `value` in which every leaf the path reaches is replaced by `replace(leaf)`; leaves
 * for which it returns undefined, and paths that reach nothing, are left alone.
 */
export function replaceAt(value: unknown, segments: readonly Segment[], replace: (leaf: unknown) => unknown): unknown {
  if (segments.length === 0) {
    const replaced = replace(value);
    return replaced === undefined ? value : replaced;
  }
  const [head, ...rest] = segments;
  if (head === '[]') {
    if (!Array.isArray(value)) return value;
    return value.map((item) => replaceAt(item, rest, replace));
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  if (!Object.prototype.hasOwnProperty.call(record, head)) return value;
  const next = replaceAt(record[head], rest, replace);
  return next === record[head] ? value : { ...record, [head]: next };
}

/** Every leaf the path reaches. */
export function valuesAt(value: unknown, segments: readonly Segment[]): unknown[] {
  const found: unknown[] = [];
  replaceAt(value, segments, (leaf) => {
    found.push(leaf);
    return undefined;
  });
  return found;
}
