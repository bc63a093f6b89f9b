export * from './http-platform.config';
export { HTTP_PLATFORM_CONFIG } from './http-platform.tokens';
export { HttpPlatformModule, type HttpPlatformOptions } from './http-platform.module';

export { Roles, Public, ROLES_METADATA, PUBLIC_METADATA, BEARER_SCHEME } from './auth/access.decorators';
export { AccessGuard } from './auth/access.guard';
export * from './auth/access-tokens';
export { CurrentActor, currentActorOf } from './auth/current-actor.decorator';
export { RouteAccessAudit, type RouteAccessFinding } from './auth/route-access-audit';

export type { AuthenticatedActor, RequestState, PlatformRequest } from './context/request-state';
export { requestStateOf, requestPath } from './context/request-state';
export { CORRELATION_ID_HEADER, parseCorrelationId, requestContextMiddleware } from './context/correlation';
export {
  CurrentContext,
  eventMetadata,
  requestContextOf,
  type EventMetadata,
  type RequestContext,
} from './context/command-context';

export * from './errors/error-response';
export * from './errors/request-validation';
export { useJsonBodyParser, MAX_JSON_DEPTH, type JsonBodyOptions } from './errors/json-body';
export { PlatformExceptionFilter } from './errors/platform-exception.filter';

export * from './validation/ledger-validators';

export {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  parseIdempotencyKey,
  idempotentRequestOf,
  canonicalJson,
  type IdempotentRequest,
} from './idempotency/idempotent-request';
export type { IdempotencyRecord, StoredAnswer } from './idempotency/idempotency-records';
export {
  IdempotencyStore,
  type ClaimResult,
  type IdempotencyClaim,
  type IdempotentAttempt,
} from './idempotency/idempotency.store';
export {
  IDEMPOTENCY_DATABASE,
  idempotencyDatabaseFrom,
  openIdempotencyDatabase,
  type IdempotencyDatabase,
  type IdempotencyKeyTable,
} from './idempotency/idempotency.database';
export {
  IdempotencyClaimLostError,
  IdempotencyInProgressError,
  IdempotentReplay,
} from './idempotency/idempotency-errors';
export { IdempotencyInterceptor, MUTATING_METHODS } from './idempotency/idempotency.interceptor';

export {
  httpSecurityConfigFrom,
  MAX_CORS_ORIGINS,
  MAX_HSTS_MAX_AGE_SECONDS,
  type HttpSecurityConfig,
} from './security/http-security.config';
export { useSecurityHeaders } from './security/security-headers';

export { setupOpenApi, createOpenApiDocument, OPENAPI_UI_PATH, OPENAPI_JSON_PATH } from './openapi/setup-openapi';

export { issueTokenCommand, parseDuration, ISSUE_TOKEN_USAGE } from './cli/issue-token';
export { PageQueryDto, ReadAfterQueryDto } from './validation/page-query.dto';

export {
  structuredLogging,
  loggingConfigFrom,
  LOG_LEVELS,
  type LoggingConfig,
  type LogLevel,
} from './observability/structured-logs';
