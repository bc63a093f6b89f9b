import { Presets, SingleBar } from 'cli-progress';
import type { StepReport } from './simulation';

/** Steps between two progress lines when the output is not a terminal (CI logs). */
const LINE_EVERY_STEPS = 100;

/**
 * A cli-progress bar in a terminal, a line every LINE_EVERY_STEPS steps otherwise; with `trace`,
 * a line per step saying what it did (the way to read a failing seed).
 */
export function progressReporter(total: number, trace: boolean) {
  const bar =
    process.stdout.isTTY && !trace
      ? new SingleBar({ format: 'step {value}/{total} | {events} events | {crashes} crashes' }, Presets.shades_classic)
      : undefined;
  bar?.start(total, 0, { events: 0, crashes: 0 });
  return {
    step(report: StepReport): void {
      if (trace) process.stdout.write(`${report.step}: ${report.did}\n`);
      else if (bar) bar.update(report.step, { events: report.events, crashes: report.crashes });
      else if (report.step % LINE_EVERY_STEPS === 0 || report.step === total) {
        process.stdout.write(`step ${report.step}/${total}: ${report.events} events, ${report.crashes} crashes\n`);
      }
    },
    stop(): void {
      bar?.stop();
    },
  };
}
