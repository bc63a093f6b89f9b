export const SIMULATE_USAGE = 'npm run simulate -- --seed <integer> --steps <integer> [--crash-share <0..1>] [--trace]';

export class SimulateUsageError extends Error {}

export interface SimulateArgs {
  readonly seed: number;
  readonly steps: number;
  readonly crashShare: number;
  /** Print what every step did. */
  readonly trace: boolean;
}

/** Far above what a run on one machine gets through in an hour. */
const MAX_STEPS = 1_000_000;

export function parseSimulateArgs(argv: readonly string[]): SimulateArgs {
  let seed = 1;
  let steps = 200;
  let crashShare = 0.2;
  let trace = false;
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index];
    if (flag === '--trace') {
      trace = true;
      continue;
    }
    const value = argv[++index];
    if (value === undefined) throw new SimulateUsageError(`${flag} needs a value`);
    switch (flag) {
      case '--seed':
        seed = integer(flag, value, 0, 2 ** 32 - 1);
        break;
      case '--steps':
        steps = integer(flag, value, 1, MAX_STEPS);
        break;
      case '--crash-share':
        crashShare = Number(value);
        if (!(crashShare >= 0 && crashShare <= 1)) throw new SimulateUsageError('--crash-share must be 0 to 1');
        break;
      default:
        throw new SimulateUsageError(`Unknown option ${flag}`);
    }
  }
  return { seed, steps, crashShare, trace };
}

function integer(flag: string, value: string, min: number, max: number): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new SimulateUsageError(`${flag} must be an integer from ${min} to ${max}`);
  }
  return parsed;
}
