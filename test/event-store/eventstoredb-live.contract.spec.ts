import { describeLiveContract } from './live-contract';

// The contract against a real EventStoreDB or KurrentDB at EVENTSTOREDB_URL, through @eventstore/db-client.
describeLiveContract('eventstore');
