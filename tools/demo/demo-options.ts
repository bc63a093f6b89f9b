import { parseArgs } from 'node:util';

export const DEMO_USAGE =
  'npm run demo [-- --dir <folder>] [--fresh] [--serve] [--beneficiaries <1..100000>]\n' +
  '  --dir            where the demo keeps what it makes (default ./data/demo)\n' +
  '  --fresh          clear that folder first, if an earlier demo made it\n' +
  '  --serve          keep the API running on the demo data at the end (Ctrl-C stops it)\n' +
  '  --beneficiaries  how many people to enrol and pay (default 10000)\n' +
  'Store settings (EVENT_STORE, DATABASE_URL, SQLITE_PATH, READ_MODEL_*, BANK_FILES_DIR, …) are read\n' +
  'as the service reads them; the folder is only the default for the paths left unset.';

export const DEFAULT_DEMO_DIR = './data/demo';
export const DEFAULT_BENEFICIARIES = 10_000;
/** NIK serial numbers (4 digits, one per 28 people) run out near 280,000; a demo needs far fewer. */
const MAX_BENEFICIARIES = 100_000;

export interface DemoOptions {
  readonly dir: string;
  readonly fresh: boolean;
  readonly serve: boolean;
  readonly beneficiaries: number;
  readonly help: boolean;
}

export class DemoUsageError extends Error {}

export function parseDemoOptions(argv: readonly string[]): DemoOptions {
  const { values } = parseOrExplain(argv);
  return {
    dir: values.dir ?? DEFAULT_DEMO_DIR,
    fresh: values.fresh ?? false,
    serve: values.serve ?? false,
    beneficiaries: beneficiariesFrom(values.beneficiaries),
    help: values.help ?? false,
  };
}

function parseOrExplain(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        dir: { type: 'string' },
        fresh: { type: 'boolean' },
        serve: { type: 'boolean' },
        beneficiaries: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new DemoUsageError((error as Error).message);
  }
}

function beneficiariesFrom(text: string | undefined): number {
  if (text === undefined) return DEFAULT_BENEFICIARIES;
  const count = Number(text);
  if (!/^\d+$/.test(text) || count < 1 || count > MAX_BENEFICIARIES) {
    throw new DemoUsageError(`--beneficiaries must be a whole number from 1 to ${MAX_BENEFICIARIES}`);
  }
  return count;
}
