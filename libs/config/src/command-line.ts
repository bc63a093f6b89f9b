/** Wrong arguments: the CLI prints the message and the command's usage, and exits 2. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

/** Where an operator command writes: the CLI's stdout and stderr, or a test's buffers. */
export interface CliOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}
