/** A bad setting found at start-up; the message names the variable and what it accepts. */
export class ConfigurationError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`${variable}: ${reason}`);
    this.name = 'ConfigurationError';
  }
}
