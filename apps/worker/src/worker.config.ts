import { Environment } from '@salur/config';
import { EventStoreConfig, eventStoreConfigFrom } from '@salur/event-store';
import { QueueConfig, queueConfigFrom } from '@salur/queue';

export interface WorkerConfig {
  readonly eventStore: EventStoreConfig;
  readonly queue: QueueConfig;
}

export function workerConfigFrom(env: Environment): WorkerConfig {
  return { eventStore: eventStoreConfigFrom(env), queue: queueConfigFrom(env) };
}
