/**
 * ServerFeatures.GetSupportedMethods. The client asks once per connection and chooses by
 * method path only: it appends through BatchAppend when `streams/batchappend` is listed (and
 * no per-call credentials are given), else through Append. The version is informative.
 */
import * as grpc from '@grpc/grpc-js';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';

export interface AdvertisedMethod {
  /** e.g. StreamsService.read.path: "/event_store.client.streams.Streams/Read" */
  readonly path: string;
  /** Per-method features, as the server lists them (Read: position, events; BatchAppend: deadline_duration). */
  readonly features?: readonly string[];
}

export function createGetSupportedMethodsHandler(
  serverVersion: string,
  methods: readonly AdvertisedMethod[],
): grpc.handleUnaryCall<Empty, SupportedMethods> {
  const supported = new SupportedMethods()
    .setEventStoreServerVersion(serverVersion)
    .setMethodsList(methods.map(toSupportedMethod));
  return (_call, callback) => callback(null, supported);
}

/** The server lower-cases both names. */
function toSupportedMethod(method: AdvertisedMethod): SupportedMethod {
  const [, serviceName, methodName] = method.path.split('/');
  return new SupportedMethod()
    .setServiceName(serviceName.toLowerCase())
    .setMethodName(methodName.toLowerCase())
    .setFeaturesList([...(method.features ?? [])]);
}
