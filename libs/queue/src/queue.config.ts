import { Environment, readString, readUrl } from '@salur/config';

export interface QueueConfig {
  readonly redisUrl: string;
  /** Key prefix of every queue; tests use a unique one per run so runs never share jobs. */
  readonly prefix: string;
}

export function queueConfigFrom(env: Environment): QueueConfig {
  return {
    redisUrl: readUrl(env, 'REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    prefix: readString(env, 'QUEUE_PREFIX', 'salur'),
  };
}
