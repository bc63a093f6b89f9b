import { CanActivate, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { RedisConnection } from './redis-connection';

/**
 * Put on every endpoint that starts a job. Without Redis a job could not be queued, and a
 * request that hangs or silently drops the job is worse than a clear 503.
 */
@Injectable()
export class QueueAvailableGuard implements CanActivate {
  constructor(private readonly connection: RedisConnection) {}

  canActivate(): boolean {
    if (this.connection.isUp()) return true;
    const { url, reason } = this.connection.describe();
    throw new ServiceUnavailableException({
      statusCode: 503,
      code: 'QUEUE_UNAVAILABLE',
      message: `The job queue cannot be reached at ${url} (set by REDIS_URL): ${reason}. Retry when Redis is back.`,
    });
  }
}
