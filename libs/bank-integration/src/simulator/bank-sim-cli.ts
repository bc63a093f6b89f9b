import { createReadStream } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { readPain001 } from '../domain/pain001-reader';
import { DEFAULT_SIMULATION, simulateBank, SimulationOptions, SimulationSummary } from './bank-simulator';

export const BANK_SIM_USAGE =
  'npm run bank-sim -- <pain.001 file> [--out <dir>] [--reject 0.03] [--return 0.01] [--short 0] ' +
  '[--deduction 2500.00] [--seed <text>] [--value-date YYYY-MM-DD] [--treasury-account <digits>]';

export interface BankSimRun {
  readonly pain002Path: string;
  readonly camt054Path: string;
  readonly summary: SimulationSummary;
}

export class BankSimUsageError extends Error {}

/** Parses the CLI's arguments: the file, then flags; shares are fractions between 0 and 1. */
export function parseBankSimArgs(argv: readonly string[]): {
  file: string;
  outDir?: string;
  options: SimulationOptions;
  treasuryAccount: string;
} {
  const [file, ...rest] = argv;
  if (!file || file.startsWith('--')) throw new BankSimUsageError('Name the pain.001 file to answer');
  let options: SimulationOptions = { ...DEFAULT_SIMULATION, valueDate: new Date().toISOString().slice(0, 10) };
  options = { ...options, createdAt: new Date().toISOString() };
  let outDir: string | undefined;
  let treasuryAccount = process.env.TREASURY_ACCOUNT ?? '0012301000000099';
  for (let index = 0; index < rest.length; index += 2) {
    const [flag, value] = [rest[index], rest[index + 1]];
    if (value === undefined) throw new BankSimUsageError(`${flag} needs a value`);
    const share = () => {
      const parsed = Number(value);
      if (!/^(0|1|0?\.\d+)$/.test(value) || parsed < 0 || parsed > 1) throw new BankSimUsageError(`${flag} takes 0..1`);
      return parsed;
    };
    switch (flag) {
      case '--out':
        outDir = value;
        break;
      case '--reject':
        options = { ...options, rejectShare: share() };
        break;
      case '--return':
        options = { ...options, returnShare: share() };
        break;
      case '--short':
        options = { ...options, shortCreditShare: share() };
        break;
      case '--deduction':
        options = { ...options, shortCreditDeduction: value };
        break;
      case '--seed':
        options = { ...options, seed: value };
        break;
      case '--value-date':
        options = { ...options, valueDate: value };
        break;
      case '--treasury-account':
        treasuryAccount = value;
        break;
      default:
        throw new BankSimUsageError(`Unknown option ${flag}`);
    }
  }
  if (options.rejectShare + options.returnShare + options.shortCreditShare > 1) {
    throw new BankSimUsageError('The shares add up to more than 1');
  }
  return { file, outDir, options, treasuryAccount };
}

/** Reads the pain.001 as a stream and writes `<name>.pain002.xml` and `<name>.camt054.xml` beside it (or in outDir). */
export async function runBankSim(
  file: string,
  options: SimulationOptions,
  treasuryAccount: string,
  outDir = dirname(file),
): Promise<BankSimRun> {
  await mkdir(outDir, { recursive: true });
  const stem = basename(file).replace(/(\.pain001)?\.xml$/, '');
  const pain002Path = join(outDir, `${stem}.pain002.xml`);
  const camt054Path = join(outDir, `${stem}.camt054.xml`);
  const pain002 = await open(pain002Path, 'w');
  const camt054 = await open(camt054Path, 'w');
  try {
    const summary = await simulateBank(readPain001(createReadStream(file)), options, treasuryAccount, {
      pain002: (chunk) => pain002.writeFile(chunk),
      camt054: (chunk) => camt054.writeFile(chunk),
    });
    return { pain002Path, camt054Path, summary };
  } finally {
    await pain002.close();
    await camt054.close();
  }
}
