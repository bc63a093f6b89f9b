import { Controller, Get, HttpCode, HttpStatus, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DependencyChecks, type DependencyState } from './dependency-checks';

export interface ReadinessReport {
  /** ok: everything up; degraded: a non-essential part is down; down: an essential part is down (503). */
  readonly status: 'ok' | 'degraded' | 'down';
  readonly dependencies: Readonly<Record<string, DependencyState & { readonly essential: boolean }>>;
}

/**
 * Probes for orchestrators and load balancers, public like /health always was. Liveness says only
 * that the process answers (restart it if not); readiness names every dependency with its state and
 * reason, and answers 503 when an essential one is down (send no traffic). `/health` is readiness.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly checks: DependencyChecks) {}

  @Get('live')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Liveness: the process answers. Dependencies are not probed (see /health/ready).' })
  live(): { status: 'up' } {
    return { status: 'up' };
  }

  @Get('ready')
  @ApiOperation({
    summary: 'Readiness: every dependency named with its state and reason; 503 when an essential one is down',
  })
  @ApiResponse({ status: 503, description: 'An essential dependency (event store, read models) is down' })
  ready(@Res({ passthrough: true }) response: ServerResponse): Promise<ReadinessReport> {
    return this.report(response);
  }

  @Get()
  @ApiOperation({ summary: 'Readiness (the same as /health/ready)' })
  health(@Res({ passthrough: true }) response: ServerResponse): Promise<ReadinessReport> {
    return this.report(response);
  }

  /** The report is the body whatever the status: a 503 must still say which part is down and why. */
  private async report(response: ServerResponse): Promise<ReadinessReport> {
    const probed = await this.checks.probeAll();
    const dependencies = Object.fromEntries(
      probed.map(({ name, essential, state }) => [name, { ...state, essential }]),
    );
    const down = probed.filter(({ state }) => state.status === 'down');
    const status = down.some(({ essential }) => essential) ? 'down' : down.length > 0 ? 'degraded' : 'ok';
    response.statusCode = status === 'down' ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK;
    return { status, dependencies };
  }
}
