import { Global, Inject, Module, OnModuleInit } from '@nestjs/common';
import { reasonOf } from '@salur/config';
import { EVENT_STORE, EventStore } from '@salur/event-store';
import { READ_MODEL_DATABASE, type ReadModelDatabase } from '@salur/projections';
import { Metrics, ObservabilityModule } from '@salur/observability';
import { RedisConnection } from '@salur/queue';
import { sql } from 'kysely';
import { DependencyChecks } from './dependency-checks';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';

/**
 * /health/live, /health/ready and /metrics. The platform's own dependencies are registered here; a
 * capability with a store of its own (the audit log) registers it through DependencyChecks. Each
 * dependency's state is also a gauge (salur_dependency_up), which the store-down alerts read.
 */
@Global()
@Module({
  imports: [ObservabilityModule],
  controllers: [HealthController, MetricsController],
  providers: [DependencyChecks],
  exports: [DependencyChecks],
})
export class HealthModule implements OnModuleInit {
  constructor(
    private readonly checks: DependencyChecks,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DATABASE) private readonly readModels: ReadModelDatabase,
    private readonly redis: RedisConnection,
    private readonly metrics: Metrics,
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
    this.metrics.readGauges('dependencies', ['dependencyUp', 'eventStoreHead'], async (gauges) => {
      for (const { name, essential, state } of await this.checks.probeAll()) {
        gauges.set('dependencyUp', { dependency: name, essential: String(essential) }, state.status === 'up' ? 1 : 0);
      }
      const head = await this.store.headPosition().catch(() => undefined);
      if (head !== undefined) gauges.set('eventStoreHead', {}, Number(head));
    });
  }
}
