import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import { Roles } from '@salur/http';
import { Metrics } from '@salur/observability';

/**
 * Prometheus's scrape target. Behind a token of its own role (monitor), so a scraper's credentials
 * open nothing else; the metrics carry counts, positions and programme totals, never personal data.
 */
@ApiTags('operations')
@ApiBearerAuth()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @Roles('monitor', 'admin')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/plain')
  @ApiOperation({ summary: 'Metrics in the Prometheus text format (see deploy/prometheus for the alert rules)' })
  async scrape(@Res({ passthrough: true }) response: ServerResponse): Promise<string> {
    const exposition = await this.metrics.exposition();
    response.setHeader('Content-Type', this.metrics.contentType);
    return exposition;
  }
}
