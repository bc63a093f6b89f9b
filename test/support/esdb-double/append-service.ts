/**
 * Streams.Append (client streaming: options, then proposed messages) and Streams.BatchAppend
 * (bidirectional: chunks keyed by correlation id, the first carrying options, the last marked
 * `is_final`; one response per append). Both feed InMemoryEventLog.append.
 */
import * as grpc from '@grpc/grpc-js';
import { Empty as GoogleEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import { AllStreamPosition, Empty, UUID } from '@eventstore/db-client/generated/shared_pb';
import { AppendReq, AppendResp, BatchAppendReq, BatchAppendResp } from '@eventstore/db-client/generated/streams_pb';
import type { AppendOutcome, ExpectedStreamState, InMemoryEventLog, ProposedEvent } from './event-log';
import {
  badRequestStatus,
  expectedStateOf,
  InvalidRequestError,
  streamIdentifier,
  streamNameOf,
  toProposedEvent,
  uuidToString,
  wrongExpectedVersionStatus,
} from './protocol';

interface PendingAppend {
  readonly correlationId: UUID;
  readonly streamName: string;
  readonly expected: ExpectedStreamState;
  readonly events: ProposedEvent[];
}

export function createBatchAppendHandler(
  log: InMemoryEventLog,
): grpc.handleBidiStreamingCall<BatchAppendReq, BatchAppendResp> {
  return (call) => {
    const pending = new Map<string, PendingAppend>();
    call.on('data', (request: BatchAppendReq) => {
      const response = receiveChunk(log, pending, request);
      if (response) call.write(response);
    });
    // The client keeps one BatchAppend call open per connection; it ends or cancels it on dispose.
    call.on('end', () => call.end());
    call.on('error', () => pending.clear());
    call.on('cancelled', () => pending.clear());
  };
}

/** Buffers a chunk; returns the append's response once its final chunk has arrived. */
function receiveChunk(
  log: InMemoryEventLog,
  pending: Map<string, PendingAppend>,
  request: BatchAppendReq,
): BatchAppendResp | undefined {
  const correlationId = request.getCorrelationId() ?? new UUID();
  const key = uuidToString(correlationId);
  try {
    const options = request.getOptions();
    // As the server does, the first chunk with options opens the append; later options are ignored.
    if (options && !pending.has(key)) pending.set(key, openBatchAppend(correlationId, options));
    const append = pending.get(key);
    if (!append) return undefined;
    append.events.push(...request.getProposedMessagesList().map(toProposedEvent));
    if (!request.getIsFinal()) return undefined;
    pending.delete(key);
    return batchAppendResponse(append, log.append(append.streamName, append.expected, append.events));
  } catch (error) {
    // Answered on the append, not by failing the call: the call carries other appends too.
    const streamName = pending.get(key)?.streamName ?? '';
    pending.delete(key);
    const message = error instanceof Error ? error.message : String(error);
    return (
      new BatchAppendResp()
        .setCorrelationId(correlationId)
        // The client reads the stream name of every error response.
        .setStreamIdentifier(streamIdentifier(streamName))
        .setError(badRequestStatus(message))
    );
  }
}

function openBatchAppend(correlationId: UUID, options: BatchAppendReq.Options): PendingAppend {
  return {
    correlationId,
    streamName: streamNameOf(options.getStreamIdentifier()),
    expected: expectedStateOf(options, options.hasStreamPosition() ? options.getStreamPosition() : undefined),
    events: [],
  };
}

function batchAppendResponse(append: PendingAppend, outcome: AppendOutcome): BatchAppendResp {
  const response = new BatchAppendResp()
    .setCorrelationId(append.correlationId)
    .setStreamIdentifier(streamIdentifier(append.streamName));
  if (outcome.kind === 'wrong_expected_version') {
    return response.setError(wrongExpectedVersionStatus(outcome.currentRevision, append.expected));
  }
  const success = new BatchAppendResp.Success();
  if (outcome.currentRevision < 0) success.setNoStream(new GoogleEmpty());
  else success.setCurrentRevision(String(outcome.currentRevision));
  if (outcome.position === undefined) success.setNoPosition(new GoogleEmpty());
  else success.setPosition(allStreamPosition(outcome.position));
  return response.setSuccess(success);
}

export function createAppendHandler(log: InMemoryEventLog): grpc.handleClientStreamingCall<AppendReq, AppendResp> {
  return (call, callback) => {
    let header: { streamName: string; expected: ExpectedStreamState } | undefined;
    const events: ProposedEvent[] = [];
    let failed = false;
    const fail = (error: unknown) => {
      failed = true;
      const details = error instanceof Error ? error.message : String(error);
      callback({ code: grpc.status.INVALID_ARGUMENT, details });
    };
    call.on('data', (request: AppendReq) => {
      if (failed) return;
      try {
        const options = request.getOptions();
        const proposed = request.getProposedMessage();
        if (options && !header) header = appendHeader(options);
        else if (proposed && header) events.push(toProposedEvent(proposed));
        else throw new InvalidRequestError('an append starts with options, then proposed messages');
      } catch (error) {
        fail(error);
      }
    });
    call.on('end', () => {
      if (failed) return;
      if (!header) return fail(new InvalidRequestError('an append needs options'));
      callback(null, appendResponse(log.append(header.streamName, header.expected, events), header.expected));
    });
  };
}

function appendHeader(options: AppendReq.Options): { streamName: string; expected: ExpectedStreamState } {
  return {
    streamName: streamNameOf(options.getStreamIdentifier()),
    expected: expectedStateOf(options, options.hasRevision() ? options.getRevision() : undefined),
  };
}

/** Append reports a conflict in the response, not as a gRPC error. */
function appendResponse(outcome: AppendOutcome, expected: ExpectedStreamState): AppendResp {
  if (outcome.kind === 'wrong_expected_version') {
    const conflict = new AppendResp.WrongExpectedVersion();
    if (outcome.currentRevision < 0) conflict.setCurrentNoStream(new Empty());
    else conflict.setCurrentRevision(String(outcome.currentRevision));
    if (expected.kind === 'any') conflict.setExpectedAny(new Empty());
    else if (expected.kind === 'no_stream') conflict.setExpectedNoStream(new Empty());
    else if (expected.kind === 'stream_exists') conflict.setExpectedStreamExists(new Empty());
    else conflict.setExpectedRevision(String(expected.revision));
    return new AppendResp().setWrongExpectedVersion(conflict);
  }
  const success = new AppendResp.Success();
  if (outcome.currentRevision < 0) success.setNoStream(new Empty());
  else success.setCurrentRevision(String(outcome.currentRevision));
  if (outcome.position === undefined) success.setNoPosition(new Empty());
  else {
    const position = String(outcome.position);
    success.setPosition(new AppendResp.Position().setCommitPosition(position).setPreparePosition(position));
  }
  return new AppendResp().setSuccess(success);
}

function allStreamPosition(position: number): AllStreamPosition {
  return new AllStreamPosition().setCommitPosition(String(position)).setPreparePosition(String(position));
}
