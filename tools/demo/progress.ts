import { Presets, SingleBar } from 'cli-progress';

/** Without a terminal (CI, `| tee`, a test) a line at least this often shows the run is alive. */
export const PROGRESS_LINE_INTERVAL_MS = 5_000;

export interface PhaseProgress {
  update(done: number, total?: number): void;
  /** Ends the phase and returns how long it took. */
  finish(): number;
}

export interface Progress {
  /** A phase of `total` units (beneficiaries, payments, steps…), shown until it finishes. */
  phase(title: string, total: number, unit: string): PhaseProgress;
  /** A line of the story, between phases. */
  say(text: string): void;
}

export type Write = (text: string) => void;

/** Bars in a terminal, plain lines anywhere else. */
export function progressFor(stdout: NodeJS.WriteStream, now: () => number = Date.now): Progress {
  const write: Write = (text) => stdout.write(text);
  return stdout.isTTY ? terminalProgress(stdout, write, now) : lineProgress(write, now, PROGRESS_LINE_INTERVAL_MS);
}

function terminalProgress(stdout: NodeJS.WriteStream, write: Write, now: () => number): Progress {
  return {
    phase(title, total, unit) {
      const started = now();
      const bar = new SingleBar(
        {
          format: `${title.padEnd(38)} {bar} {value}/{total} ${unit} | {duration_formatted}`,
          barsize: 30,
          hideCursor: true,
          stream: stdout,
        },
        Presets.shades_classic,
      );
      bar.start(Math.max(total, 1), 0);
      return {
        update(done, newTotal) {
          if (newTotal !== undefined) bar.setTotal(Math.max(newTotal, 1));
          bar.update(done);
        },
        finish() {
          bar.update(bar.getTotal());
          bar.stop();
          return now() - started;
        },
      };
    },
    say: (text) => write(`${text}\n`),
  };
}

/**
 * A line when a phase starts, one every `intervalMs` while it runs (from a timer, so a phase
 * stuck in one long request still shows its counts), and one when it ends, with its duration.
 */
export function lineProgress(write: Write, now: () => number, intervalMs: number): Progress {
  const runStarted = now();
  return {
    phase(title, total, unit) {
      const phaseStarted = now();
      const counts = { done: 0, total };
      const line = (ending: string) =>
        write(`${progressLine(now() - runStarted, title, counts.done, counts.total, unit)}${ending}\n`);
      line('');
      const heartbeat = setInterval(() => line(''), intervalMs);
      heartbeat.unref();
      return {
        update(done, newTotal) {
          counts.done = done;
          if (newTotal !== undefined) counts.total = newTotal;
        },
        finish() {
          clearInterval(heartbeat);
          counts.done = counts.total;
          const tookMs = now() - phaseStarted;
          line(`, done in ${seconds(tookMs)} s`);
          return tookMs;
        },
      };
    },
    say: (text) => write(`${text}\n`),
  };
}

/** `[  12.3 s] Enrolling beneficiaries: 1,250/10,000 beneficiaries` */
export function progressLine(sinceStartMs: number, title: string, done: number, total: number, unit: string): string {
  return `[${seconds(sinceStartMs).padStart(6)} s] ${title}: ${count(done)}/${count(total)} ${unit}`;
}

function seconds(ms: number): string {
  return (ms / 1_000).toFixed(1);
}

function count(n: number): string {
  return n.toLocaleString('en');
}
