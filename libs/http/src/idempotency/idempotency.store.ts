import { randomUUID } from 'node:crypto';
import {
  AppendResult,
  AppendTooLargeError,
  EventStore,
  ExpectedRevision,
  JsonObject,
  WrongExpectedRevisionError,
} from '@salur/event-store';
import { conflict } from '@salur/kernel';
import type { EventMetadata } from '../context/command-context';
import type { IdempotencyConfig } from '../http-platform.config';
import { IdempotencyInProgressError } from './idempotency-errors';
import {
  decideIdempotency,
  IDEMPOTENCY_EVENT_TYPES,
  IdempotencyEventData,
  LastIdempotencyEvent,
  StoredAnswer,
} from './idempotency-records';
import type { IdempotentRequest } from './idempotent-request';

/** A claim on a key: this request executes, and records its outcome after the Started event. */
export interface IdempotencyClaim {
  readonly request: IdempotentRequest;
  readonly startedRevision: number;
}

export type ClaimResult =
  | { readonly kind: 'claimed'; readonly claim: IdempotencyClaim }
  | { readonly kind: 'replay'; readonly status: number; readonly answer: StoredAnswer };

/** A lost race is followed by reading the winner's record; a bound against a run of takeovers. */
const MAX_CLAIM_ATTEMPTS = 3;

/**
 * Idempotency records kept in the event store through its port, so every adapter (SQLite,
 * PostgreSQL, EventStoreDB) keeps them as durably as the ledger, without another database.
 * Exclusivity comes from the expected revision: of two concurrent requests with one key,
 * exactly one appends its Started event; the other gets WrongExpectedRevisionError.
 */
export class IdempotencyStore {
  constructor(
    private readonly store: EventStore,
    private readonly config: IdempotencyConfig,
    /** Milliseconds since the epoch; a test may pass its own clock. */
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Claims the key for this request, or says what to answer instead. Throws a conflict
   * (409) when the key was used for another request or an attempt is still in progress.
   */
  async claim(request: IdempotentRequest, metadata: EventMetadata): Promise<ClaimResult> {
    for (let attempt = 1; attempt <= MAX_CLAIM_ATTEMPTS; attempt++) {
      const decision = decideIdempotency(
        await this.lastEvent(request.streamName),
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
        case 'execute':
          try {
            const { nextExpectedRevision } = await this.append(request.streamName, decision.expectedRevision, {
              type: IDEMPOTENCY_EVENT_TYPES.started,
              data: { requestHash: request.requestHash, method: request.method, path: request.path, at: this.now() },
              metadata,
            });
            return { kind: 'claimed', claim: { request, startedRevision: nextExpectedRevision } };
          } catch (error) {
            // Another request with this key started first: read again and answer as it dictates.
            if (!(error instanceof WrongExpectedRevisionError)) throw error;
          }
      }
    }
    throw new IdempotencyInProgressError(1);
  }

  /** Records the answer to replay; bodies over the bound are kept without their body. */
  async complete(
    claim: IdempotencyClaim,
    status: number,
    answer: StoredAnswer,
    metadata: EventMetadata,
  ): Promise<void> {
    const data = { requestHash: claim.request.requestHash, status, answer, at: this.now() };
    try {
      await this.appendOutcome(claim, IDEMPOTENCY_EVENT_TYPES.completed, data, metadata);
    } catch (error) {
      // The store may be configured with a smaller append limit than the stored-body bound.
      if (!(error instanceof AppendTooLargeError) || answer.kind === 'omitted') throw error;
      const omitted: StoredAnswer = { kind: 'omitted', bytes: error.sizeBytes };
      await this.appendOutcome(claim, IDEMPOTENCY_EVENT_TYPES.completed, { ...data, answer: omitted }, metadata);
    }
  }

  /** The attempt ended without a final answer (5xx, concurrency conflict): a retry executes again. */
  async fail(claim: IdempotencyClaim, status: number, metadata: EventMetadata): Promise<void> {
    const data = { requestHash: claim.request.requestHash, status, at: this.now() };
    await this.appendOutcome(claim, IDEMPOTENCY_EVENT_TYPES.failed, data, metadata);
  }

  private async appendOutcome(
    claim: IdempotencyClaim,
    type: string,
    data: IdempotencyEventData,
    metadata: EventMetadata,
  ): Promise<void> {
    await this.append(claim.request.streamName, claim.startedRevision, { type, data, metadata });
  }

  private append(
    streamName: string,
    expectedRevision: ExpectedRevision,
    event: { type: string; data: IdempotencyEventData; metadata: EventMetadata },
  ): Promise<AppendResult> {
    // A random id, never one derived from the request: the store treats a repeated id at the
    // same expected revision as a retry of the same append and succeeds, which would let two
    // concurrent requests both believe they claimed the key.
    return this.store.append(
      streamName,
      [{ id: randomUUID(), type: event.type, data: event.data as JsonObject, metadata: event.metadata }],
      { expectedRevision },
    );
  }

  private async lastEvent(streamName: string): Promise<LastIdempotencyEvent | undefined> {
    for await (const event of this.store.readStream(streamName, { direction: 'backwards', maxCount: 1 })) {
      return { type: event.type, revision: event.revision, data: event.data };
    }
    return undefined;
  }

  private now(): string {
    return new Date(this.clock()).toISOString();
  }
}
