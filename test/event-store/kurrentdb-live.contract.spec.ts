import { describeLiveContract } from './live-contract';

// The contract against a real KurrentDB or EventStoreDB at EVENTSTOREDB_URL, through @kurrent/kurrentdb-client.
describeLiveContract('kurrentdb');
