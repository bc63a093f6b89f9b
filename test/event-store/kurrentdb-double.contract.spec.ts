import { EventStoreDbEventStore } from '@salur/event-store';
import { EventStoreDbDouble, startEventStoreDbDouble } from '../support/esdb-double';
import { describeEventStoreContract } from './contract';
import { describeEventStoreDbDoubleChecks } from './eventstoredb-double-checks';

// The adapter on @kurrent/kurrentdb-client (EVENTSTOREDB_CLIENT=kurrentdb) against the same
// double as eventstoredb-double.contract.spec.ts: KurrentDB serves the same gRPC protocol.
//
// The double is written against @eventstore/db-client's generated messages. Here it gets the
// kurrent client's instead (same protocol, a few newer fields): the two packages' generated code
// share one global protobuf namespace and cannot both load in one process (see
// libs/event-store/src/eventstoredb/open-eventstoredb-client.ts), e.g. the kurrent serializer of
// CaughtUp calls getTimestamp(), which the older CaughtUp class lacks.
jest.mock('@eventstore/db-client/generated/shared_pb', () => kurrentGenerated('shared_pb'));
jest.mock('@eventstore/db-client/generated/code_pb', () => kurrentGenerated('code_pb'));
jest.mock('@eventstore/db-client/generated/status_pb', () => kurrentGenerated('status_pb'));
jest.mock('@eventstore/db-client/generated/streams_pb', () => kurrentGenerated('streams_pb'));
jest.mock('@eventstore/db-client/generated/streams_grpc_pb', () => kurrentGenerated('streams_grpc_pb'));
jest.mock('@eventstore/db-client/generated/serverfeatures_pb', () => kurrentGenerated('serverfeatures_pb'));
jest.mock('@eventstore/db-client/generated/serverfeatures_grpc_pb', () => kurrentGenerated('serverfeatures_grpc_pb'));

function kurrentGenerated(module: string): unknown {
  return jest.requireActual(`@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/${module}`);
}

let double: EventStoreDbDouble;

beforeAll(async () => {
  double = await startEventStoreDbDouble();
});

afterAll(async () => {
  await double?.stop();
});

describeEventStoreContract('eventstoredb on the kurrentdb client (in-process gRPC double)', {
  open: (limits) =>
    EventStoreDbEventStore.connect({ connectionString: double.connectionString, limits, client: 'kurrentdb' }),
});

describeEventStoreDbDoubleChecks({ client: 'kurrentdb', double: () => double });
