import { Logger } from '@nestjs/common';
import type { EventStore } from '@salur/event-store';
import { conflict } from '@salur/kernel';
import type { IdempotencyConfig } from '../http-platform.config';
import { IdempotencyClaimLostError, IdempotencyInProgressError } from './idempotency-errors';
import {
  decideIdempotency,
  IdempotencyRecord,
  IdempotencyState,
  recoveredAnswerOf,
  StoredAnswer,
  WrittenEvent,
} from './idempotency-records';
import type { IdempotencyDatabase, IdempotencyKeyTable } from './idempotency.database';
import type { IdempotentRequest } from './idempotent-request';

/** A claim on a key: this request executes, and records its outcome at the version it wrote. */
export interface IdempotencyClaim {
  readonly request: IdempotentRequest;
  readonly version: number;
}

/** The attempt that claims a key: its request id (the causation id of its events) and success status. */
export interface IdempotentAttempt {
  readonly requestId: string;
  readonly successStatus: number;
}

export type ClaimResult =
  | { readonly kind: 'claimed'; readonly claim: IdempotencyClaim }
  | { readonly kind: 'replay'; readonly status: number; readonly answer: StoredAnswer };

/** A lost race is followed by reading the winner's record; a bound against a run of takeovers. */
const MAX_CLAIM_ATTEMPTS = 3;
/** Events read per page while looking for what an abandoned attempt wrote. */
const RECOVERY_PAGE_EVENTS = 1_000;
/** A bound on that search, far above what a lease's worth of log holds on one machine. */
const MAX_RECOVERY_SCAN_EVENTS = 1_000_000;
/** Clocks of the processes that stamp `startedAt` and `recordedAt` may disagree by this much. */
const RECOVERY_CLOCK_MARGIN_MS = 60_000;

/**
 * The idempotency records (one row per key, see idempotency.database.ts for where and why) and
 * the recovery of an attempt whose process died.
 *
 * Recovery: a `started` record whose lease has ended belongs to an attempt that died (the lease
 * exceeds the longest command). Its command may have appended its events and died before its
 * answer was recorded; running it again would then refuse it as a duplicate (409
 * DUPLICATE_ENROLMENT) or, for a command without a derived id, do it twice. So the retry first
 * reads the log for events caused by that attempt's request id, from the log's head when the
 * attempt started up to the first event recorded after the lease (plus a clock margin), bounded
 * by MAX_RECOVERY_SCAN_EVENTS: nothing can be that attempt's later. Found: the command happened,
 * and its answer is the success status with the receipt of the last stream it wrote
 * (recoveredAnswerOf). Not found: it wrote nothing (a refusal writes nothing either), so the retry
 * runs the command. Reading the log rather than re-running the command in a "did it already
 * happen" mode keeps this generic: no decider has to tell a retry from a duplicate.
 */
export class IdempotencyStore {
  private readonly logger = new Logger('Idempotency');

  constructor(
    private readonly db: IdempotencyDatabase,
    private readonly store: Pick<EventStore, 'headPosition' | 'readAll'>,
    private readonly config: IdempotencyConfig,
    /** Milliseconds since the epoch; a test may pass its own clock. */
    private readonly clock: () => number = () => Date.now(),
  ) {}

  /**
   * Claims the key for this request, or says what to answer instead. Throws a conflict
   * (409) when the key was used for another request or an attempt is still in progress.
   */
  async claim(request: IdempotentRequest, attempt: IdempotentAttempt): Promise<ClaimResult> {
    for (let round = 1; round <= MAX_CLAIM_ATTEMPTS; round++) {
      const decision = decideIdempotency(
        await this.read(request.keyId),
        request.requestHash,
        this.clock(),
        this.config.inProgressLeaseMs,
      );
      switch (decision.kind) {
        case 'replay':
          return decision;
        case 'key-reused':
          throw conflict(
            'IDEMPOTENCY_KEY_REUSED',
            'This Idempotency-Key was already used for a different request (method, path or body); use a new key',
            'Idempotency-Key',
          );
        case 'in-progress':
          throw new IdempotencyInProgressError(decision.retryAfterSeconds);
        case 'recover': {
          const { record } = decision;
          const written = await this.lastWrittenBy(record);
          if (written === undefined) {
            const claim = await this.start(request, attempt, record.version);
            if (claim) return { kind: 'claimed', claim };
            break;
          }
          const answer = recoveredAnswerOf(written);
          const outcome = { state: 'completed', status: record.successStatus, answer } as const;
          if (await this.finish(request.keyId, record.version, outcome)) {
            return { kind: 'replay', status: record.successStatus, answer };
          }
          break;
        }
        case 'execute': {
          const claim = await this.start(request, attempt, decision.version);
          if (claim) return { kind: 'claimed', claim };
          break;
        }
      }
      // Another request with this key wrote first: read again and answer as it dictates.
    }
    throw new IdempotencyInProgressError(1);
  }

  /** Records the answer to replay. Throws IdempotencyClaimLostError if another attempt took over. */
  async complete(claim: IdempotencyClaim, status: number, answer: StoredAnswer): Promise<void> {
    await this.finishClaim(claim, { state: 'completed', status, answer });
  }

  /** The attempt ended without a final answer (5xx, concurrency conflict): a retry executes again. */
  async fail(claim: IdempotencyClaim, status: number): Promise<void> {
    await this.finishClaim(claim, { state: 'failed', status, answer: null });
  }

  private async finishClaim(claim: IdempotencyClaim, outcome: Outcome): Promise<void> {
    if (!(await this.finish(claim.request.keyId, claim.version, outcome))) {
      throw new IdempotencyClaimLostError(claim.request.keyId);
    }
  }

  /** Starts an attempt on a new key (version null) or over the record at `version`; undefined if beaten. */
  private async start(
    request: IdempotentRequest,
    attempt: IdempotentAttempt,
    version: number | null,
  ): Promise<IdempotencyClaim | undefined> {
    // Read before the claim is written, so every event of this attempt comes after it.
    const fromPosition = (await this.store.headPosition()) ?? null;
    const now = this.now();
    const started = {
      requestHash: request.requestHash,
      method: request.method,
      path: request.path,
      state: 'started' as const,
      version: (version ?? 0) + 1,
      requestId: attempt.requestId,
      successStatus: attempt.successStatus,
      fromPosition,
      startedAt: now,
      status: null,
      answer: null,
      updatedAt: now,
    };
    if (version === null) {
      const inserted = await this.db
        .insertInto('idempotencyKeys')
        .values({ keyId: request.keyId, ...started })
        .onConflict((conflicting) => conflicting.column('keyId').doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) return undefined;
    } else {
      const updated = await this.db
        .updateTable('idempotencyKeys')
        .set(started)
        .where('keyId', '=', request.keyId)
        .where('version', '=', version)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) return undefined;
    }
    return { request, version: started.version };
  }

  /** Writes an outcome over the record at `version`; false when another attempt wrote first. */
  private async finish(keyId: string, version: number, outcome: Outcome): Promise<boolean> {
    const updated = await this.db
      .updateTable('idempotencyKeys')
      .set({
        state: outcome.state,
        version: version + 1,
        status: outcome.status,
        answer: outcome.answer === null ? null : JSON.stringify(outcome.answer),
        updatedAt: this.now(),
      })
      .where('keyId', '=', keyId)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(updated.numUpdatedRows) === 1;
  }

  /** The last event the attempt of this record appended, if it appended any (see the class comment). */
  private async lastWrittenBy(record: IdempotencyRecord): Promise<WrittenEvent | undefined> {
    const windowEndMs = Date.parse(record.startedAt) + this.config.inProgressLeaseMs + RECOVERY_CLOCK_MARGIN_MS;
    let after = record.fromPosition ?? undefined;
    let last: WrittenEvent | undefined;
    for (let scanned = 0; scanned < MAX_RECOVERY_SCAN_EVENTS;) {
      let read = 0;
      for await (const event of this.store.readAll({ from: after, maxCount: RECOVERY_PAGE_EVENTS })) {
        if (Date.parse(event.recordedAt) > windowEndMs) return last;
        if (event.metadata.causationId === record.requestId) {
          last = { streamName: event.streamName, revision: event.revision, position: event.position };
        }
        after = event.position;
        read++;
      }
      if (read < RECOVERY_PAGE_EVENTS) return last;
      scanned += read;
    }
    this.logger.warn(
      `Stopped looking for the events of request ${record.requestId} after ${MAX_RECOVERY_SCAN_EVENTS} events` +
        (last ? '' : '; none found, so the retry runs the command again'),
    );
    return last;
  }

  private async read(keyId: string): Promise<IdempotencyRecord | undefined> {
    const row = await this.db.selectFrom('idempotencyKeys').selectAll().where('keyId', '=', keyId).executeTakeFirst();
    return row === undefined ? undefined : recordOf(row);
  }

  private now(): string {
    return new Date(this.clock()).toISOString();
  }
}

interface Outcome {
  readonly state: Exclude<IdempotencyState, 'started'>;
  readonly status: number;
  readonly answer: StoredAnswer | null;
}

function recordOf(row: IdempotencyKeyTable): IdempotencyRecord {
  return {
    requestHash: row.requestHash,
    state: row.state,
    version: Number(row.version),
    requestId: row.requestId,
    successStatus: Number(row.successStatus),
    fromPosition: row.fromPosition === null ? null : Number(row.fromPosition),
    startedAt: row.startedAt,
    status: row.status === null ? null : Number(row.status),
    answer: row.answer === null ? null : (JSON.parse(row.answer) as StoredAnswer),
  };
}
