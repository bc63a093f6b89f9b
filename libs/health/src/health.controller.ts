import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@salur/event-store';
import { RedisConnection } from '@salur/queue';

export interface HealthReport {
  readonly status: 'ok' | 'degraded' | 'down';
  readonly eventStore: { readonly adapter: string; readonly status: 'up' | 'down'; readonly reason?: string };
  readonly queue: ReturnType<RedisConnection['describe']>;
}

/**
 * Liveness and dependencies for operators and load balancers. The event store is essential
 * (503 without it); Redis is not: without it the ledger still serves commands and queries.
 */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly redis: RedisConnection,
  ) {}

  @Get()
  async health(): Promise<HealthReport> {
    const eventStore = await this.checkEventStore();
    const queue = this.redis.describe();
    if (eventStore.status === 'down') throw new ServiceUnavailableException({ status: 'down', eventStore, queue });
    return { status: queue.status === 'down' ? 'degraded' : 'ok', eventStore, queue };
  }

  private async checkEventStore(): Promise<HealthReport['eventStore']> {
    try {
      await this.store.ping();
      return { adapter: this.store.adapter, status: 'up' };
    } catch (error) {
      return { adapter: this.store.adapter, status: 'down', reason: (error as Error).message };
    }
  }
}
