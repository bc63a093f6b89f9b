import { EventStoreDbEventStore } from '@salur/event-store';
import { EventStoreDbDouble, startEventStoreDbDouble } from '../support/esdb-double';
import { describeEventStoreContract } from './contract';
import { describeEventStoreDbDoubleChecks } from './eventstoredb-double-checks';

// The real @eventstore/db-client against an in-process gRPC double of the server: proves the
// adapter speaks the protocol as the client and server do; see the double's header for what
// it cannot prove (eventstoredb-live.contract.spec.ts runs the same suite against a server).
// kurrentdb-double.contract.spec.ts runs the same with @kurrent/kurrentdb-client.
let double: EventStoreDbDouble;

beforeAll(async () => {
  double = await startEventStoreDbDouble();
});

afterAll(async () => {
  await double?.stop();
});

describeEventStoreContract('eventstoredb (in-process gRPC double)', {
  open: (limits) => EventStoreDbEventStore.connect({ connectionString: double.connectionString, limits }),
});

describeEventStoreDbDoubleChecks({ client: 'eventstore', double: () => double });
