/**
 * A small benchmark harness: every figure is measured against a baseline taken in the same
 * run on the same machine, because these machines are shared and noisy and only ratios hold.
 */
export interface Measurement {
  /** Units of work done (events, jobs, leaves). */
  readonly units: number;
  readonly seconds: number;
}

export interface Case {
  readonly name: string;
  readonly run: () => Promise<Measurement>;
}

export interface Benchmark {
  readonly name: string;
  readonly unit: string;
  readonly baseline: Case;
  readonly cases: readonly Case[];
  /** Optional target per case, as a minimum ratio to the baseline. */
  readonly targets?: Readonly<Record<string, number>>;
}

export interface CaseResult {
  readonly benchmark: string;
  readonly case: string;
  readonly isBaseline: boolean;
  readonly runs: number;
  readonly medianRate: number;
  readonly minRate: number;
  readonly maxRate: number;
  readonly ratioToBaseline: number;
  readonly target?: number;
  readonly peakRssMiB: number;
}

export const RUNS_PER_CASE = 3;

export async function timed(units: number, work: () => Promise<void> | void): Promise<Measurement> {
  const started = process.hrtime.bigint();
  await work();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { units, seconds };
}

export async function runBenchmark(benchmark: Benchmark, log: (line: string) => void): Promise<CaseResult[]> {
  const measured: Array<{ kase: Case; rates: number[]; peakRssMiB: number; isBaseline: boolean }> = [];
  for (const [kase, isBaseline] of [
    [benchmark.baseline, true] as const,
    ...benchmark.cases.map((c) => [c, false] as const),
  ]) {
    const rates: number[] = [];
    let peakRss = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
    try {
      for (let run = 0; run < RUNS_PER_CASE; run++) {
        const { units, seconds } = await kase.run();
        rates.push(units / seconds);
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        log(
          `  ${benchmark.name} / ${kase.name}: run ${run + 1}/${RUNS_PER_CASE} ${format(units / seconds)} ${benchmark.unit}`,
        );
      }
    } finally {
      clearInterval(sampler);
    }
    measured.push({ kase, rates, peakRssMiB: peakRss / 1_048_576, isBaseline });
  }
  const baselineMedian = median(measured[0].rates);
  return measured.map(({ kase, rates, peakRssMiB, isBaseline }) => ({
    benchmark: benchmark.name,
    case: kase.name,
    isBaseline,
    runs: rates.length,
    medianRate: median(rates),
    minRate: Math.min(...rates),
    maxRate: Math.max(...rates),
    ratioToBaseline: median(rates) / baselineMedian,
    target: benchmark.targets?.[kase.name],
    peakRssMiB,
  }));
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function format(rate: number): string {
  return Math.round(rate).toLocaleString('en-US');
}

export function table(results: readonly CaseResult[], unit: string): string {
  const rows = results.map((result) => [
    result.isBaseline ? `${result.case} (baseline)` : result.case,
    format(result.medianRate),
    format(result.minRate),
    format(result.maxRate),
    result.isBaseline ? '1.00' : result.ratioToBaseline.toFixed(2),
    result.target === undefined
      ? ''
      : `${result.ratioToBaseline >= result.target ? 'met' : 'MISSED'} (≥ ${result.target})`,
    result.peakRssMiB.toFixed(0),
  ]);
  const header = ['case', `median ${unit}`, 'min', 'max', 'ratio', 'target', 'peak RSS MiB'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('-|-'), ...rows.map(line)].join('\n');
}
