import { Global, Inject, Module, OnModuleInit } from '@nestjs/common';
import { reasonOf } from '@salur/config';
import { EVENT_STORE, EventStore } from '@salur/event-store';
import { READ_MODEL_DATABASE, type ReadModelDatabase } from '@salur/projections';
import { RedisConnection } from '@salur/queue';
import { sql } from 'kysely';
import { DependencyChecks } from './dependency-checks';
import { HealthController } from './health.controller';

/**
 * /health/live and /health/ready. The platform's own dependencies are registered here; a capability
 * with a store of its own (the audit log) registers it through DependencyChecks.
 */
@Global()
@Module({ controllers: [HealthController], providers: [DependencyChecks], exports: [DependencyChecks] })
export class HealthModule implements OnModuleInit {
  constructor(
    private readonly checks: DependencyChecks,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DATABASE) private readonly readModels: ReadModelDatabase,
    private readonly redis: RedisConnection,
  ) {}

  onModuleInit(): void {
    this.checks.register({
      name: 'event-store',
      essential: true,
      probe: async () => {
        const adapter = this.store.adapter;
        try {
          await this.store.ping();
          return { status: 'up', adapter };
        } catch (error) {
          return { status: 'down', adapter, reason: reasonOf(error) };
        }
      },
    });
    this.checks.register({
      name: 'read-models',
      essential: true,
      probe: async () => {
        await sql`select 1`.execute(this.readModels);
        return { status: 'up' };
      },
    });
    // Without Redis the ledger still serves commands and queries; only jobs wait (503 QUEUE_UNAVAILABLE).
    this.checks.register({ name: 'queue', essential: false, probe: () => this.redis.describe() });
  }
}
