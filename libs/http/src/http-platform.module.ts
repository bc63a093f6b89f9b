import {
  DynamicModule,
  Global,
  Inject,
  Logger,
  MiddlewareConsumer,
  Module,
  NestModule,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  RequestMethod,
  Type,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE, DiscoveryModule } from '@nestjs/core';
import { EVENT_STORE, EventStore } from '@salur/event-store';
import { AccessGuard } from './auth/access.guard';
import { AccessTokens } from './auth/access-tokens';
import { RouteAccessAudit } from './auth/route-access-audit';
import { requestContextMiddleware } from './context/correlation';
import { PlatformExceptionFilter } from './errors/platform-exception.filter';
import { createValidationPipe } from './errors/request-validation';
import { DEVELOPMENT_SECRET_WARNING, HttpPlatformConfig } from './http-platform.config';
import { HTTP_PLATFORM_CONFIG, PUBLIC_CONTROLLERS } from './http-platform.tokens';
import { IDEMPOTENCY_DATABASE, IdempotencyDatabase, openIdempotencyDatabase } from './idempotency/idempotency.database';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { IdempotencyStore } from './idempotency/idempotency.store';
import { RequestMetricsMiddleware } from './observability/request-metrics.middleware';

export interface HttpPlatformOptions {
  /**
   * Controllers that need no token although they cannot carry @Public() themselves (a library
   * that should not depend on this one: the health check). Keep this list short.
   */
  readonly publicControllers?: readonly Type[];
}

/**
 * The HTTP platform of every capability's controllers: the access guard (bearer JWT + @Roles),
 * the exception filter, the validation pipe, the idempotency interceptor and the request
 * context (correlation and request ids). Global: import once, in the API module. Needs the
 * EventStoreModule (a key whose attempt died is answered from the command's events); the
 * idempotency records live in a database of their own, opened here and closed at shutdown.
 */
@Global()
@Module({})
export class HttpPlatformModule implements NestModule, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('HttpPlatform');

  constructor(
    @Inject(HTTP_PLATFORM_CONFIG) private readonly config: HttpPlatformConfig,
    @Inject(IDEMPOTENCY_DATABASE) private readonly idempotencyDatabase: IdempotencyDatabase,
  ) {}

  static forRoot(config: HttpPlatformConfig, options: HttpPlatformOptions = {}): DynamicModule {
    return {
      module: HttpPlatformModule,
      imports: [DiscoveryModule],
      providers: [
        { provide: HTTP_PLATFORM_CONFIG, useValue: config },
        { provide: PUBLIC_CONTROLLERS, useValue: options.publicControllers ?? [] },
        { provide: AccessTokens, useValue: new AccessTokens(config.jwt) },
        { provide: IDEMPOTENCY_DATABASE, useFactory: () => openIdempotencyDatabase(config.idempotencyDatabase) },
        {
          provide: IdempotencyStore,
          inject: [IDEMPOTENCY_DATABASE, EVENT_STORE],
          useFactory: (db: IdempotencyDatabase, store: EventStore) =>
            new IdempotencyStore(db, store, config.idempotency),
        },
        RouteAccessAudit,
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_FILTER, useClass: PlatformExceptionFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
      exports: [HTTP_PLATFORM_CONFIG, AccessTokens],
    };
  }

  /** Every request, the root path and unknown routes included ('{*path}' also matches '/'). */
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(requestContextMiddleware, RequestMetricsMiddleware)
      .forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }

  onApplicationBootstrap(): void {
    if (this.config.jwt.usesDevelopmentSecret) this.logger.warn(DEVELOPMENT_SECRET_WARNING);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.idempotencyDatabase.destroy();
  }
}
