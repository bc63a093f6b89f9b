import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Code that runs on a request (routes and use cases) refuses with a DomainError (a code, mapped
 * to 400/403/404/409/422) or a Nest HTTP exception, never a bare Error: the exception filter
 * answers those 500 INTERNAL_ERROR, which tells the caller nothing and pages someone for a
 * refusal. Assertions of bugs belong in the domain and the platform, which this does not scan.
 */
const ROOT = join(__dirname, '..', '..');
const PLAIN_ERROR = /\b(?:new\s+)?(?:Error|TypeError|RangeError)\s*\(/g;

function requestPathFiles(): string[] {
  const directories = [join(ROOT, 'libs', 'application', 'src')];
  for (const lib of readdirSync(join(ROOT, 'libs'))) {
    for (const layer of ['http', 'application']) directories.push(join(ROOT, 'libs', lib, 'src', layer));
  }
  return directories.flatMap((directory) => sourcesUnder(directory));
}

function sourcesUnder(directory: string): string[] {
  let entries;
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourcesUnder(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('errors thrown on a request path', () => {
  it('scans the routes and use cases of every lib', () => {
    const files = requestPathFiles().map((path) => relative(ROOT, path));

    expect(files).toEqual(
      expect.arrayContaining([
        'libs/batches/src/application/batch-lines.ts',
        'libs/payments/src/http/rounds.controller.ts',
        'libs/application/src/handle-command.ts',
      ]),
    );
  });

  it('are never a plain Error, TypeError or RangeError', () => {
    const found = requestPathFiles().flatMap((path) =>
      readFileSync(path, 'utf8')
        .split('\n')
        .flatMap((line, index) =>
          // `instanceof Error` and type positions are fine; constructing one is what answers 500.
          [...line.matchAll(PLAIN_ERROR)].length > 0 && !/^\s*(\/\/|\*)/.test(line)
            ? [`${relative(ROOT, path)}:${index + 1}: ${line.trim()}`]
            : [],
        ),
    );

    expect(found).toEqual([]);
  });
});
