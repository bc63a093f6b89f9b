import type { ExpectedRevision, StreamName, StreamRevision } from './event-store.port';

/** The one typed conflict every adapter throws; nothing was written. */
export class WrongExpectedRevisionError extends Error {
  readonly code = 'WRONG_EXPECTED_REVISION';
  constructor(
    readonly streamName: StreamName,
    readonly expected: ExpectedRevision,
    /** The stream's last revision, -1 when it does not exist; undefined when the store did not say. */
    readonly actual: StreamRevision | undefined,
  ) {
    super(
      `Stream '${streamName}' expected at revision ${String(expected)} but is at ${
        actual === undefined ? 'an unknown revision' : actual === -1 ? 'no stream' : actual
      }`,
    );
    this.name = 'WrongExpectedRevisionError';
  }
}

/** An append larger than the configured limit; nothing was written. */
export class AppendTooLargeError extends Error {
  readonly code = 'APPEND_TOO_LARGE';
  constructor(
    readonly streamName: StreamName,
    readonly sizeBytes: number,
    readonly limitBytes: number,
  ) {
    super(
      `Append to '${streamName}' is ${sizeBytes} bytes, over the limit of ${limitBytes} bytes (EVENT_STORE_MAX_APPEND_BYTES)`,
    );
    this.name = 'AppendTooLargeError';
  }
}

/** A malformed append (empty, bad id, bad type); a bug in the caller, nothing was written. */
export class InvalidAppendError extends Error {
  readonly code = 'INVALID_APPEND';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAppendError';
  }
}
