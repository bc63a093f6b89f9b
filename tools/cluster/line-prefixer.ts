/** A line longer than this is passed on in pieces, so one runaway line cannot grow without bound. */
export const MAX_LINE_CHARS = 1_048_576;

/**
 * Cuts a process's output into lines and passes each on with the process's name in front, so
 * the JSON lines of three apps on one terminal still say whose they are. Output arrives in chunks
 * that split lines anywhere; the unfinished tail waits for its end (or for flush at exit).
 */
export class LinePrefixer {
  private pending = '';

  constructor(
    private readonly prefix: string,
    private readonly write: (line: string) => void,
  ) {}

  push(chunk: string): void {
    const lines = (this.pending + chunk).split('\n');
    this.pending = lines.pop() ?? '';
    for (const line of lines) this.write(`${this.prefix}${line}`);
    if (this.pending.length > MAX_LINE_CHARS) this.flush();
  }

  flush(): void {
    if (this.pending === '') return;
    this.write(`${this.prefix}${this.pending}`);
    this.pending = '';
  }
}

/** `api       | `: the names padded to one width, so the lines' JSON starts in one column. */
export function prefixOf(name: string, names: readonly string[]): string {
  const width = Math.max(...names.map((other) => other.length));
  return `${name.padEnd(width)} | `;
}
