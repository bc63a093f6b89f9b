/**
 * Translation between the client's protobuf messages (the generated classes shipped in
 * @eventstore/db-client) and the double's log, field by field as EventStoreDB fills them.
 */
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import {
  BadRequest,
  Empty,
  StreamIdentifier,
  UUID,
  WrongExpectedVersion,
} from '@eventstore/db-client/generated/shared_pb';
import { Code } from '@eventstore/db-client/generated/code_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { CurrentRevision, ExpectedStreamState, ProposedEvent, StoredEvent } from './event-log';

/** What the proposed-message classes of Append and BatchAppend have in common. */
export interface ProposedMessageFields {
  getId(): UUID | undefined;
  getMetadataMap(): { get(key: string): string | undefined };
  getData_asU8(): Uint8Array;
  getCustomMetadata_asU8(): Uint8Array;
}

/** Rejected requests become gRPC errors with this code. */
export class InvalidRequestError extends Error {}

// Type names of the details the server packs into a google.rpc.Status; the client switches on them.
const WRONG_EXPECTED_VERSION_TYPE = 'event_store.client.WrongExpectedVersion';
const BAD_REQUEST_TYPE = 'event_store.client.BadRequest';

export function streamNameOf(identifier: StreamIdentifier | undefined): string {
  if (!identifier) throw new InvalidRequestError('stream_identifier is required');
  return Buffer.from(identifier.getStreamName_asU8()).toString('utf8');
}

export function streamIdentifier(streamName: string): StreamIdentifier {
  return new StreamIdentifier().setStreamName(Buffer.from(streamName, 'utf8'));
}

/** Accepts both UUID encodings a client may send. */
export function uuidToString(uuid: UUID | undefined): string {
  if (!uuid) throw new InvalidRequestError('an id is required');
  const structured = uuid.getStructured();
  if (!structured) return uuid.getString().toLowerCase();
  const most = BigInt.asUintN(64, BigInt(structured.getMostSignificantBits()));
  const least = BigInt.asUintN(64, BigInt(structured.getLeastSignificantBits()));
  const hex = most.toString(16).padStart(16, '0') + least.toString(16).padStart(16, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Encodes an id the way the read request asked for (the Node client asks for strings). */
export function uuidMessage(id: string, uuidOption: ReadReq.Options.UUIDOption | undefined): UUID {
  if (!uuidOption?.hasStructured()) return new UUID().setString(id);
  const hex = id.replace(/-/g, '');
  const structured = new UUID.Structured()
    .setMostSignificantBits(BigInt.asIntN(64, BigInt(`0x${hex.slice(0, 16)}`)).toString())
    .setLeastSignificantBits(BigInt.asIntN(64, BigInt(`0x${hex.slice(16)}`)).toString());
  return new UUID().setStructured(structured);
}

export function toProposedEvent(message: ProposedMessageFields): ProposedEvent {
  const metadata = message.getMetadataMap();
  const type = metadata.get('type');
  const contentType = metadata.get('content-type');
  // The server refuses proposed messages without these two metadata keys.
  if (!type) throw new InvalidRequestError("proposed message metadata 'type' is required");
  if (!contentType) throw new InvalidRequestError("proposed message metadata 'content-type' is required");
  return {
    id: uuidToString(message.getId()),
    type,
    contentType,
    data: message.getData_asU8(),
    customMetadata: message.getCustomMetadata_asU8(),
  };
}

/** Options of Append and BatchAppend share this oneof, with one differently named case. */
export interface ExpectedRevisionFields {
  hasAny(): boolean;
  hasNoStream(): boolean;
  hasStreamExists(): boolean;
}

export function expectedStateOf(
  options: ExpectedRevisionFields,
  exactRevision: string | undefined,
): ExpectedStreamState {
  if (options.hasAny()) return { kind: 'any' };
  if (options.hasNoStream()) return { kind: 'no_stream' };
  if (options.hasStreamExists()) return { kind: 'stream_exists' };
  if (exactRevision !== undefined)
    return { kind: 'revision', revision: parseUint64(exactRevision, 'expected revision') };
  throw new InvalidRequestError('an expected stream revision is required');
}

/** The double keeps revisions and positions as JS numbers; a test never comes near 2^53. */
export function parseUint64(value: string, what: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 0) throw new InvalidRequestError(`${what} ${value} is out of range`);
  return parsed;
}

/** The `WrongExpectedVersion` details the server packs into a google.rpc.Status (BatchAppend). */
function wrongExpectedVersionDetails(
  currentRevision: CurrentRevision,
  expected: ExpectedStreamState,
): WrongExpectedVersion {
  const details = new WrongExpectedVersion();
  if (currentRevision < 0) details.setCurrentNoStream(new Empty());
  else details.setCurrentStreamRevision(String(currentRevision));
  switch (expected.kind) {
    case 'any':
      return details.setExpectedAny(new Empty());
    case 'no_stream':
      return details.setExpectedNoStream(new Empty());
    case 'stream_exists':
      return details.setExpectedStreamExists(new Empty());
    case 'revision':
      return details.setExpectedStreamPosition(String(expected.revision));
  }
}

/** As Google.Rpc.Status.WrongExpectedVersion on the server: ALREADY_EXISTS, details packed as Any. */
export function wrongExpectedVersionStatus(currentRevision: CurrentRevision, expected: ExpectedStreamState): Status {
  const details = new Any();
  details.pack(wrongExpectedVersionDetails(currentRevision, expected).serializeBinary(), WRONG_EXPECTED_VERSION_TYPE);
  return new Status().setCode(Code.ALREADY_EXISTS).setMessage('WrongExpectedVersion').setDetails(details);
}

/** As Google.Rpc.Status.BadRequest on the server; the client reports it as an UnknownError. */
export function badRequestStatus(message: string): Status {
  const details = new Any();
  details.pack(new BadRequest().setMessage(message).serializeBinary(), BAD_REQUEST_TYPE);
  return new Status().setCode(Code.INVALID_ARGUMENT).setMessage('BadRequest').setDetails(details);
}

export function readEventMessage(event: StoredEvent, uuidOption: ReadReq.Options.UUIDOption | undefined): ReadResp {
  const recorded = new ReadResp.ReadEvent.RecordedEvent()
    .setId(uuidMessage(event.id, uuidOption))
    .setStreamIdentifier(streamIdentifier(event.streamName))
    .setStreamRevision(String(event.revision))
    .setCommitPosition(String(event.position))
    .setPreparePosition(String(event.position))
    .setData(event.data)
    .setCustomMetadata(event.customMetadata);
  recorded
    .getMetadataMap()
    .set('type', event.type)
    .set('created', event.createdTicks)
    .set('content-type', event.contentType);
  const readEvent = new ReadResp.ReadEvent().setEvent(recorded).setCommitPosition(String(event.position));
  return new ReadResp().setEvent(readEvent);
}
