import type { LoadReport } from './run';

/** The run as a person reads it: one row per endpoint, then what the checks found. */
export function formatReport(report: LoadReport): string {
  const lines: string[] = [];
  const header = ['endpoint', 'conns', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'statuses'];
  const rows = report.endpoints.map((e) => [
    e.endpoint +
      (e.exhaustedAfterSeconds === undefined ? '' : ` (work done at ${e.exhaustedAfterSeconds.toFixed(1)} s)`),
    String(e.connections),
    String(e.requests),
    e.requestsPerSecond.toFixed(1),
    String(e.latencyMs.p50),
    String(e.latencyMs.p99),
    Object.entries(e.statuses)
      .map(([status, count]) => `${status}:${count}`)
      .join(' ') + (e.errors + e.timeouts > 0 ? ` errors:${e.errors} timeouts:${e.timeouts}` : ''),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 || i === cells.length - 1 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ');
  lines.push(line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line));
  lines.push(
    `total: ${report.total.requests} requests in ${report.durationSeconds} s (${report.total.requestsPerSecond.toFixed(1)} req/s)`,
    '',
  );
  const v = report.verification;
  lines.push(
    `acknowledged commands: ${v.acknowledgedCommands} (${v.acknowledged} 2xx answers, ${v.replays} idempotent replays)`,
    `lost: ${v.lost.length}, duplicated: ${v.duplicates.length}, written without a 2xx: ${v.unacknowledgedWrites.length} (in flight at the end, fate unread: ${v.cutOff})`,
    `409s explained:`,
    ...Object.entries(v.conflicts).map(
      ([code, { count, explanation }]) => `  ${code.padEnd(24)} ${String(count).padStart(6)}  ${explanation}`,
    ),
    `409s unexplained: ${v.unexplainedConflicts.length}; unexpected answers: ${v.unexpectedStatuses.length}`,
    `bank ingestion jobs: ${report.ingestJobs.completed} completed, ${report.ingestJobs.failed} failed or unfinished`,
    `invariant checker: ${report.check.ok ? 'all invariants hold' : `${report.check.violations.length} violation(s)`} over ${report.check.events} events`,
  );
  for (const finding of [
    ...v.lost,
    ...v.duplicates,
    ...v.unacknowledgedWrites,
    ...v.unexplainedConflicts,
    ...v.unexpectedStatuses,
  ])
    lines.push(`  - ${finding.endpoint}: ${finding.what}`);
  for (const violation of report.check.violations) lines.push(`  - ${JSON.stringify(violation)}`);
  lines.push('', report.ok ? 'PASS' : `FAIL: ${report.failures.join('; ')}`);
  if (report.serverLogTail) lines.push('', 'server log (tail):', report.serverLogTail);
  return lines.join('\n');
}
