import type { DynamicModule } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { Options as PinoHttpOptions } from 'pino-http';
import { type DestinationStream, stdSerializers } from 'pino';
import { Environment, readChoice } from '@salur/config';
import { type PlatformRequest, knownRequestStateOf } from '../context/request-state';
import { outcomeOf, routeOf } from './request-metrics.middleware';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggingConfig {
  /** LOG_LEVEL, default info: one line per answered request and every warning and error. */
  readonly level: LogLevel;
}

export function loggingConfigFrom(env: Environment): LoggingConfig {
  return { level: readChoice(env, 'LOG_LEVEL', LOG_LEVELS, 'info') };
}

/**
 * JSON lines through pino (nestjs-pino), one per answered request and one per message of the
 * app's loggers, each with the request's correlation id. Nothing personal: a request is logged
 * as its method, its route template and its path without the query string (searches by NIK or
 * KK travel there), never headers (tokens) or bodies; the actor is the officer's user id, which
 * the events record anyway. Probes are not logged (an orchestrator asks every few seconds).
 */
export function structuredLogging(config: LoggingConfig, destination?: DestinationStream): DynamicModule {
  const options: PinoHttpOptions = {
    level: config.level,
    quietReqLogger: true,
    genReqId: (request: IncomingMessage) => knownRequestStateOf(request)?.requestId ?? randomUUID(),
    serializers: {
      req: (request: { method?: string; url?: string }) => ({
        method: request.method,
        path: withoutQuery(request.url),
      }),
      res: (response: { statusCode?: number }) => ({ statusCode: response.statusCode }),
      err: stdSerializers.err,
    },
    customProps: answerProps,
    customLogLevel: (_request, response, error) =>
      error !== undefined || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
    customSuccessMessage: (request, response) =>
      `${request.method} ${routeOf(request as PlatformRequest)} ${response.statusCode}`,
    customErrorMessage: (request, response) =>
      `${request.method} ${routeOf(request as PlatformRequest)} ${response.statusCode}`,
    autoLogging: { ignore: (request) => withoutQuery(request.url).startsWith('/health') },
  };
  return LoggerModule.forRoot({ pinoHttp: destination ? [options, destination] : options });
}

/**
 * The fields of the request's completion line, read when it is written: by then the guard has
 * named the actor and the filter the error code. Empty before the answer, so the line carries
 * them once.
 */
function answerProps(request: IncomingMessage, response: ServerResponse): Record<string, unknown> {
  if (!response.headersSent) return {};
  const state = knownRequestStateOf(request as PlatformRequest);
  return {
    correlationId: state?.correlationId,
    ...(state?.actor ? { actor: state.actor.userId, role: state.actor.role } : {}),
    command: `${request.method} ${routeOf(request as PlatformRequest)}`,
    outcome: outcomeOf(response.statusCode),
    ...(state?.answerCode ? { code: state.answerCode } : {}),
  };
}

function withoutQuery(url: string | undefined): string {
  return (url ?? '/').split('?')[0];
}
