import { DynamicModule, Global, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { QueueAvailableGuard } from './queue-available.guard';
import { QueueConfig } from './queue.config';
import { RedisConnection } from './redis-connection';

@Global()
@Module({})
export class QueueModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(private readonly connection: RedisConnection) {}

  static forRoot(config: QueueConfig): DynamicModule {
    return {
      module: QueueModule,
      providers: [{ provide: RedisConnection, useValue: new RedisConnection(config) }, QueueAvailableGuard],
      exports: [RedisConnection, QueueAvailableGuard],
    };
  }

  onApplicationBootstrap(): void {
    this.connection.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.stop();
  }
}
