/**
 * A small benchmark harness: every figure is measured against a baseline taken in the same
 * run on the same machine, because these machines are shared and noisy and only ratios hold.
 */
export interface Measurement {
  /** Units of work done (events, jobs, leaves). */
  readonly units: number;
  readonly seconds: number;
  /** Optional: per-request latency of the run (HTTP benchmarks), in milliseconds. */
  readonly latencyMs?: LatencyPercentiles;
}

export interface LatencyPercentiles {
  readonly p50: number;
  readonly p99: number;
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
  /** Optional target per case, as a minimum absolute rate in `unit` (e.g. 10,000 commands/s). */
  readonly absoluteTargets?: Readonly<Record<string, number>>;
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
  readonly absoluteTarget?: number;
  /** The median over the runs of each run's p50 and p99, when the case measures latency. */
  readonly latencyMs?: LatencyPercentiles;
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
  const measured: Array<{
    kase: Case;
    rates: number[];
    latencies: LatencyPercentiles[];
    peakRssMiB: number;
    isBaseline: boolean;
  }> = [];
  for (const [kase, isBaseline] of [
    [benchmark.baseline, true] as const,
    ...benchmark.cases.map((c) => [c, false] as const),
  ]) {
    const rates: number[] = [];
    const latencies: LatencyPercentiles[] = [];
    let peakRss = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
    try {
      for (let run = 0; run < RUNS_PER_CASE; run++) {
        const { units, seconds, latencyMs } = await kase.run();
        rates.push(units / seconds);
        if (latencyMs) latencies.push(latencyMs);
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        log(
          `  ${benchmark.name} / ${kase.name}: run ${run + 1}/${RUNS_PER_CASE} ${format(units / seconds)} ${benchmark.unit}` +
            (latencyMs ? ` (p50 ${latencyMs.p50} ms, p99 ${latencyMs.p99} ms)` : ''),
        );
      }
    } finally {
      clearInterval(sampler);
    }
    measured.push({ kase, rates, latencies, peakRssMiB: peakRss / 1_048_576, isBaseline });
  }
  const baselineMedian = median(measured[0].rates);
  return measured.map(({ kase, rates, latencies, peakRssMiB, isBaseline }) => ({
    benchmark: benchmark.name,
    case: kase.name,
    isBaseline,
    runs: rates.length,
    medianRate: median(rates),
    minRate: Math.min(...rates),
    maxRate: Math.max(...rates),
    ratioToBaseline: median(rates) / baselineMedian,
    target: benchmark.targets?.[kase.name],
    absoluteTarget: benchmark.absoluteTargets?.[kase.name],
    latencyMs:
      latencies.length > 0
        ? { p50: median(latencies.map((l) => l.p50)), p99: median(latencies.map((l) => l.p99)) }
        : undefined,
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
  // Latency columns only appear for benchmarks that measure it, so other tables keep their shape.
  const withLatency = results.some((result) => result.latencyMs !== undefined);
  const rows = results.map((result) => [
    result.isBaseline ? `${result.case} (baseline)` : result.case,
    format(result.medianRate),
    format(result.minRate),
    format(result.maxRate),
    result.isBaseline ? '1.00' : result.ratioToBaseline.toFixed(2),
    targetCell(result, unit),
    ...(withLatency ? [result.latencyMs?.p50.toFixed(1) ?? '', result.latencyMs?.p99.toFixed(1) ?? ''] : []),
    result.peakRssMiB.toFixed(0),
  ]);
  const header = [
    'case',
    `median ${unit}`,
    'min',
    'max',
    'ratio',
    'target',
    ...(withLatency ? ['p50 ms', 'p99 ms'] : []),
    'peak RSS MiB',
  ];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('-|-'), ...rows.map(line)].join('\n');
}

function targetCell(result: CaseResult, unit: string): string {
  const cells: string[] = [];
  if (result.target !== undefined) {
    cells.push(`${result.ratioToBaseline >= result.target ? 'met' : 'MISSED'} (≥ ${result.target})`);
  }
  if (result.absoluteTarget !== undefined) {
    cells.push(
      `${result.medianRate >= result.absoluteTarget ? 'met' : 'MISSED'} (≥ ${format(result.absoluteTarget)} ${unit})`,
    );
  }
  return cells.join(', ');
}
