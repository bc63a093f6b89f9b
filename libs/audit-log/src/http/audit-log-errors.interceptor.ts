import {
  CallHandler,
  ExecutionContext,
  Injectable,
  Logger,
  NestInterceptor,
  ServiceUnavailableException,
} from '@nestjs/common';
import { DependencyUnavailableError } from '@salur/config';
import { isConnectionLost } from '@salur/event-store';
import { catchError, Observable, throwError } from 'rxjs';
import { UnloggableEventError } from '../log/audit-log.writer';
import { LogIntegrityError } from '../log/merkle-log.store';

export const AUDIT_LOG_UNAVAILABLE = 'AUDIT_LOG_UNAVAILABLE';

/** SQLite's "the file is locked by another writer past the busy timeout": try again later. */
const SQLITE_UNAVAILABLE_CODES: ReadonlySet<string> = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED']);

/**
 * The audit routes' failures that are not bugs. A damaged or unloggable log is already a
 * DomainError (409 LOG_INTEGRITY, the reason in the message); it is also logged here as an
 * alarm, since the one exception filter logs only 5xx and someone must look at the tables.
 * A log database that cannot be reached (PostgreSQL connection lost or refused, SQLite
 * locked) answers 503 AUDIT_LOG_UNAVAILABLE: the request may succeed later, and a 500 would
 * read as a bug in the log.
 */
@Injectable()
export class AuditLogErrorsInterceptor implements NestInterceptor {
  private readonly logger = new Logger('AuditLog');

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (error instanceof LogIntegrityError || error instanceof UnloggableEventError) {
          this.logger.error(`Audit log integrity: ${error.message}`);
        }
        return throwError(() => auditRefusalOf(error));
      }),
    );
  }
}

/** The error an audit route answers with: a lost log database becomes a 503; anything else is unchanged. */
export function auditRefusalOf(error: unknown): unknown {
  if (!isLogDatabaseUnavailable(error)) return error;
  return new ServiceUnavailableException({
    statusCode: 503,
    code: AUDIT_LOG_UNAVAILABLE,
    message: 'The audit log database cannot be reached right now; nothing was signed. Try again later.',
  });
}

function isLogDatabaseUnavailable(error: unknown): boolean {
  // Already named (the event store, or the log's own database through its guarded pool): answered as it is.
  if (error instanceof DependencyUnavailableError) return false;
  if (isConnectionLost(error)) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && SQLITE_UNAVAILABLE_CODES.has(code);
}
