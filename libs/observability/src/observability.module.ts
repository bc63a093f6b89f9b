import { Global, Module } from '@nestjs/common';
import { Metrics } from './metrics';

/** One Metrics per application, for every module to record into or register its gauges with. */
@Global()
@Module({
  providers: [{ provide: Metrics, useFactory: () => new Metrics({ processMetrics: true }) }],
  exports: [Metrics],
})
export class ObservabilityModule {}
