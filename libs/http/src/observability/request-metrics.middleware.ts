import { Injectable, NestMiddleware, Optional } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { Metrics } from '@salur/observability';
import type { PlatformRequest } from '../context/request-state';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Counts every answer by method and status class, and times every command (a write) by its route
 * and outcome. Measured when the answer is finished, so refusals by the guard, the pipe or the
 * filter count as well. The command is the route's template (`POST /batches/:batchId/approvals`),
 * never the path, so no id and no searched value becomes a label.
 */
@Injectable()
export class RequestMetricsMiddleware implements NestMiddleware {
  constructor(@Optional() private readonly metrics?: Metrics) {}

  use(request: PlatformRequest, response: ServerResponse, next: () => void): void {
    const metrics = this.metrics;
    if (metrics === undefined) return next();
    const started = process.hrtime.bigint();
    response.once('finish', () => {
      const method = request.method ?? 'GET';
      const statusClass = `${Math.floor(response.statusCode / 100)}xx`;
      metrics.counter('httpResponses').inc({ method, status_class: statusClass });
      if (READ_METHODS.has(method)) return;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics
        .histogram('commandDuration')
        .observe({ command: `${method} ${routeOf(request)}`, outcome: outcomeOf(response.statusCode) }, seconds);
    });
    next();
  }
}

/** Express sets `route` on the request once a route matched; anything else is one label. */
export function routeOf(request: PlatformRequest): string {
  const route = (request as { route?: { path?: unknown } }).route;
  return typeof route?.path === 'string' ? route.path : 'unmatched';
}

/** Few values on purpose: each is a series per command. */
export function outcomeOf(status: number): string {
  if (status < 400) return 'ok';
  switch (status) {
    case 400:
    case 413:
    case 415:
      return 'invalid';
    case 401:
    case 403:
      return 'denied';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 422:
      return 'rule';
    case 429:
      return 'limited';
    case 503:
      return 'unavailable';
    default:
      return status < 500 ? 'refused' : 'error';
  }
}
