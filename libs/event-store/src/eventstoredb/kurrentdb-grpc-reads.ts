/**
 * Bounded reads for the KurrentDB client over its grpc-js channel, as @eventstore/db-client makes
 * them, instead of the client's own readStream/readAll.
 *
 * Why: in @kurrent/kurrentdb-client 1.x those two go through @kurrent/bridge, a Rust native addon
 * with a connection of its own. The bridge does talk to the test double, but it rounds each
 * event's `created` down to the whole second (the grpc-js calls keep the milliseconds, checked
 * against the double), and `recordedAt` is hashed into audit-log leaves: the same log would read
 * differently under the two clients. Everything used here is what the client's own grpc-js
 * subscriptions use (generated messages, convertGrpcEvent, the protected call helpers), so its
 * channel, credentials, reconnection and dispose() apply to these reads too.
 */
import type { CallOptions, ClientReadableStream, Metadata } from '@grpc/grpc-js';
import { KurrentDBClient, StreamNotFoundError } from '@kurrent/kurrentdb-client';
import { convertGrpcEvent, convertToCommandError, createStreamIdentifier } from '@kurrent/kurrentdb-client/dist/utils';
import { Empty } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/shared_pb';
import { StreamsClient } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_grpc_pb';
import { ReadReq, ReadResp } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_pb';
import type {
  ClientReadAllOptions,
  ClientReadPosition,
  ClientReadRevision,
  ClientReadStreamOptions,
  ClientResolvedEvent,
} from './eventstoredb-client';

/** The client's protected call helpers, which its subscribeToAll uses the same way. */
interface GrpcCallHelpers {
  GRPCStreamCreator(
    client: typeof StreamsClient,
    debugName: string,
    creator: (grpcClient: StreamsClient) => ClientReadableStream<ReadResp>,
  ): () => Promise<ClientReadableStream<ReadResp>>;
  callArguments(options: { deadline?: number }, callOptions?: Partial<CallOptions>): [Metadata, Partial<CallOptions>];
}

export function readStreamOverGrpc(
  client: KurrentDBClient,
  streamName: string,
  options: ClientReadStreamOptions,
): AsyncIterable<ClientResolvedEvent> {
  const stream = new ReadReq.Options.StreamOptions().setStreamIdentifier(createStreamIdentifier(streamName));
  setRevision(stream, options.fromRevision);
  return read(client, 'readStream', readOptions(options).setStream(stream));
}

export function readAllOverGrpc(
  client: KurrentDBClient,
  options: ClientReadAllOptions,
): AsyncIterable<ClientResolvedEvent> {
  const all = new ReadReq.Options.AllOptions();
  setPosition(all, options.fromPosition);
  return read(client, 'readAll', readOptions(options).setAll(all), options.deadline);
}

function readOptions(options: ClientReadStreamOptions | ClientReadAllOptions): ReadReq.Options {
  const { BACKWARDS, FORWARDS } = ReadReq.Options.ReadDirection;
  const direction = options.direction === 'backwards' ? BACKWARDS : FORWARDS;
  return new ReadReq.Options()
    .setReadDirection(direction)
    .setCount(options.maxCount.toString(10))
    .setResolveLinks(false)
    .setNoFilter(new Empty())
    .setUuidOption(new ReadReq.Options.UUIDOption().setString(new Empty()));
}

function setRevision(stream: ReadReq.Options.StreamOptions, revision: ClientReadRevision): void {
  if (revision === 'start') stream.setStart(new Empty());
  else if (revision === 'end') stream.setEnd(new Empty());
  else stream.setRevision(revision.toString(10));
}

function setPosition(all: ReadReq.Options.AllOptions, position: ClientReadPosition): void {
  if (position === 'start') all.setStart(new Empty());
  else if (position === 'end') all.setEnd(new Empty());
  else {
    all.setPosition(
      new ReadReq.Options.Position()
        .setCommitPosition(position.commit.toString(10))
        .setPreparePosition(position.prepare.toString(10)),
    );
  }
}

async function* read(
  client: KurrentDBClient,
  debugName: string,
  options: ReadReq.Options,
  deadlineMs?: number,
): AsyncIterable<ClientResolvedEvent> {
  const helpers = client as unknown as GrpcCallHelpers;
  const request = new ReadReq().setOptions(options);
  // Without a deadline a read takes as long as it needs, as @eventstore/db-client's reads do.
  const callOptions = deadlineMs === undefined ? { deadline: Infinity } : {};
  const open = helpers.GRPCStreamCreator(StreamsClient, debugName, (grpcClient) =>
    grpcClient.read(request, ...helpers.callArguments({ deadline: deadlineMs }, callOptions)),
  );
  const call = await open();
  let ended = false;
  try {
    for await (const response of call as AsyncIterable<ReadResp>) {
      const notFound = response.getStreamNotFound();
      if (notFound) throw new StreamNotFoundError(undefined, notFound.getStreamIdentifier()?.getStreamName());
      const event = response.getEvent();
      if (event) yield convertGrpcEvent(event);
    }
    ended = true;
  } catch (error) {
    throw error instanceof Error ? convertToCommandError(error) : error;
  } finally {
    // A caller that stops early must not leave the call open: dispose() would wait for it.
    if (!ended) call.cancel();
  }
}
