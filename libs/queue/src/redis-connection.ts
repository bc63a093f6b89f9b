import { Logger } from '@nestjs/common';
import IORedis, { Redis } from 'ioredis';
import { QueueConfig } from './queue.config';

export type QueueStatus = 'up' | 'down';

/** Reconnect forever, backing off to 5 s: the ledger keeps serving while Redis is away. */
const MAX_RECONNECT_DELAY_MS = 5_000;

/**
 * The process's connection to Redis. The ledger must start and serve without it, so this
 * connection never throws at start-up, never queues commands while offline (callers check
 * isUp() and answer 503 instead of hanging), and reports its state to /health.
 */
export class RedisConnection {
  readonly redis: Redis;
  private readonly logger = new Logger('Queue');
  private lastError: string | undefined;
  private wasUp = false;

  constructor(readonly config: QueueConfig) {
    this.redis = new IORedis(config.redisUrl, {
      lazyConnect: true,
      enableOfflineQueue: false,
      // BullMQ's workers need blocking commands that outlive any per-request retry budget.
      maxRetriesPerRequest: null,
      connectTimeout: 2_000,
      // A refused connection's socket never closes by itself; do not keep the process alive 2 s for it.
      disconnectTimeout: 200,
      retryStrategy: (attempt) => Math.min(attempt * 200, MAX_RECONNECT_DELAY_MS),
    });
    this.redis.on('ready', () => {
      this.lastError = undefined;
      this.wasUp = true;
      this.logger.log(`Redis is up at ${describeRedisUrl(config.redisUrl)}`);
    });
    this.redis.on('error', (error: Error) => {
      if (this.lastError === undefined && this.wasUp) this.logger.warn(`Redis connection lost: ${error.message}`);
      this.lastError = error.message || error.name;
    });
  }

  /** Starts connecting in the background; resolves at once whether Redis answers or not. */
  start(): void {
    this.redis.connect().catch((error: Error) => {
      this.lastError = error.message;
      this.logger.warn(
        `Redis is not reachable at ${describeRedisUrl(this.config.redisUrl)} (REDIS_URL): ${error.message}. ` +
          'The ledger serves commands and queries; job-starting endpoints answer 503 until it is back.',
      );
    });
  }

  isUp(): boolean {
    return this.redis.status === 'ready';
  }

  describe(): { status: QueueStatus; url: string; reason?: string } {
    const url = describeRedisUrl(this.config.redisUrl);
    if (this.isUp()) return { status: 'up', url };
    return { status: 'down', url, reason: this.lastError ?? `connection ${this.redis.status}` };
  }

  async stop(): Promise<void> {
    this.redis.disconnect(false);
  }
}

/** The URL without its password, safe for logs and /health. */
export function describeRedisUrl(redisUrl: string): string {
  const url = new URL(redisUrl);
  if (url.password) url.password = '***';
  return url.toString();
}
