import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendThroughputBenchmarks } from './append-throughput.bench';
import { projectionRebuildBenchmarks } from './projection-rebuild.bench';
import { auditLogBenchmarks } from './audit-log.bench';
import { streamHeadMapBenchmarks } from './stream-head-map.bench';
import { commandBusBenchmarks } from './command-bus.bench';
import { httpBenchmarks } from './http.bench';
import { openRoundBenchmarks } from './open-round.bench';
import { pain001Benchmarks } from './pain001.bench';
import { camt054IngestBenchmarks } from './camt054-ingest.bench';
import { Benchmark, CaseResult, runBenchmark, table } from './harness';

/** Every benchmark of the suite; `npm run bench -- <name>` runs those whose name starts with it. */
const BENCHMARKS: Benchmark[] = [
  ...appendThroughputBenchmarks,
  ...projectionRebuildBenchmarks,
  ...auditLogBenchmarks,
  ...streamHeadMapBenchmarks,
  ...commandBusBenchmarks,
  ...httpBenchmarks,
  ...openRoundBenchmarks,
  ...pain001Benchmarks,
  ...camt054IngestBenchmarks,
];

async function main(): Promise<void> {
  const filter = process.argv[2];
  const selected = BENCHMARKS.filter((benchmark) => !filter || benchmark.name.startsWith(filter));
  if (selected.length === 0) {
    console.error(`No benchmark matches '${filter}'. Known: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
    process.exit(2);
  }
  const results: CaseResult[] = [];
  for (const benchmark of selected) {
    console.log(`\n${benchmark.name}`);
    const benchmarkResults = await runBenchmark(benchmark, (line) => process.stderr.write(`${line}\n`));
    console.log(table(benchmarkResults, benchmark.unit));
    results.push(...benchmarkResults);
  }
  const file = join(__dirname, 'results.json');
  writeFileSync(
    file,
    JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, results }, null, 2) + '\n',
  );
  console.log(`\nWrote ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
