/**
 * An in-process test double of the EventStoreDB gRPC server, for tests that drive our adapter
 * through the real @eventstore/db-client (6.2.1). It serves the client's own generated service
 * definitions on 127.0.0.1 (insecure) and implements, after the server's behaviour (23.x):
 *
 * - ServerFeatures.GetSupportedMethods: Streams Read, Append, BatchAppend; version 23.10.0.
 * - Streams.BatchAppend and Streams.Append: expected revision (any / no_stream / stream_exists /
 *   exact), atomic multi-event appends, event-id de-duplication of retries (see event-log.ts),
 *   WrongExpectedVersion reported exactly as the client parses it.
 * - Streams.Read: a stream or $all, forwards or backwards, from start / end / a revision or
 *   position, with a count; StreamNotFound for a missing stream; catch-up subscriptions to a
 *   stream or $all (confirmation, past events, CaughtUp, live events) with event-type and
 *   stream-name filters; flow control and client cancellation.
 * - One global log: byte-offset-like commit positions (commit === prepare per event), `created`
 *   in ticks, content type, data and custom metadata as written, and a few system events
 *   ('$'-types in '$'-streams) before any user event, as a real $all has.
 *
 * What passing against the double does NOT prove (run the live contract for some of these):
 * - clustering, leader election, NotLeader redirects, gossip / discovery, reconnection;
 * - durability, restarts, scavenging, truncation, stream deletion / tombstones, $maxAge etc.;
 * - TLS, authentication, ACLs, per-call credentials;
 * - server-side limits: maximum append size, deadlines / timeouts, the bounded cache that
 *   limits `any` de-duplication on a real server, the IdempotentNotReady window;
 * - filtered-subscription checkpoints and search windows, FellBehind, link resolution ($by
 *   streams), projections, persistent subscriptions, users, operations, monitoring;
 * - real performance, page sizes and memory behaviour; exact byte positions of a real log.
 */
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { createAppendHandler, createBatchAppendHandler } from './append-service';
import { InMemoryEventLog, ProposedEvent } from './event-log';
import { OpenCalls } from './open-calls';
import { createReadHandler } from './read-service';
import { AdvertisedMethod, createGetSupportedMethodsHandler } from './server-features';

export interface EventStoreDbDoubleOptions {
  /** Advertise BatchAppend (the default, as servers since 21.10 do); false makes the client use Append. */
  readonly batchAppend?: boolean;
}

export interface EventStoreDbDouble {
  /** e.g. esdb://127.0.0.1:41234?tls=false */
  readonly connectionString: string;
  /** Streams.Read calls (reads and subscriptions) the double is still serving. */
  openReadCalls(): number;
  /** Appends a system event, as the server's own subsystems write them into $all. */
  appendSystemEvent(streamName: string, type: string): void;
  stop(): Promise<void>;
}

const SERVER_VERSION = '23.10.0';

const SYSTEM_EVENTS_OF_A_FRESH_SERVER: ReadonlyArray<[streamName: string, type: string]> = [
  ['$$$scavenges', '$metadata'],
  ['$settings', '$settings'],
];

export async function startEventStoreDbDouble(options: EventStoreDbDoubleOptions = {}): Promise<EventStoreDbDouble> {
  const log = new InMemoryEventLog();
  const openReads = new OpenCalls();
  const appendSystemEvent = (streamName: string, type: string) => {
    log.append(streamName, { kind: 'any' }, [systemEvent(type)]);
  };
  for (const [streamName, type] of SYSTEM_EVENTS_OF_A_FRESH_SERVER) appendSystemEvent(streamName, type);

  const batchAppend = options.batchAppend ?? true;
  const server = new grpc.Server();
  server.addService(ServerFeaturesService, {
    getSupportedMethods: createGetSupportedMethodsHandler(SERVER_VERSION, advertisedMethods(batchAppend)),
  });
  server.addService(StreamsService, {
    read: createReadHandler(log, openReads),
    append: createAppendHandler(log),
    // Without it the double behaves as a server from before 21.10, which lacks the method.
    batchAppend: batchAppend ? createBatchAppendHandler(log) : unimplemented('Streams.BatchAppend'),
    delete: unimplemented('Streams.Delete'),
    tombstone: unimplemented('Streams.Tombstone'),
  });
  const port = await bind(server);

  return {
    connectionString: `esdb://127.0.0.1:${port}?tls=false`,
    openReadCalls: () => openReads.count,
    appendSystemEvent,
    stop: async () => {
      openReads.abortAll();
      // A test double does not wait for clients that keep calls open (a BatchAppend call
      // stays open until its client is disposed).
      server.forceShutdown();
    },
  };
}

function advertisedMethods(batchAppend: boolean): AdvertisedMethod[] {
  const methods: AdvertisedMethod[] = [
    { path: ServerFeaturesService.getSupportedMethods.path },
    { path: StreamsService.read.path, features: ['position', 'events'] },
    { path: StreamsService.append.path },
  ];
  if (batchAppend) methods.push({ path: StreamsService.batchAppend.path, features: ['deadline_duration'] });
  return methods;
}

function bind(server: grpc.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) =>
      error ? reject(error) : resolve(port),
    );
  });
}

function systemEvent(type: string): ProposedEvent {
  return {
    id: randomUUID(),
    type,
    contentType: 'application/json',
    data: Buffer.from('{}'),
    customMetadata: new Uint8Array(),
  };
}

type AnyServerCall = { emit(event: 'error', error: Partial<grpc.StatusObject>): boolean };

/** Answers a call of any kind (unary or streaming) with UNIMPLEMENTED. */
function unimplemented(method: string): grpc.UntypedHandleCall {
  const status = { code: grpc.status.UNIMPLEMENTED, details: `${method} is not implemented by the test double` };
  return (call: AnyServerCall, callback?: grpc.sendUnaryData<never>) => {
    if (callback) callback(status);
    else call.emit('error', status);
  };
}
