import { DependencyUnavailableError } from '@salur/config';

/**
 * SQLSTATEs that say the connection failed, not the statement: the server ended the session
 * (pg_terminate_backend, a shutdown, a failover) or could not accept it yet. The same work on a
 * new connection may well succeed. Class 08 is "connection exception".
 */
const CONNECTION_SQLSTATES = new Set(['57P01', '57P02', '57P03']);
/** Socket-level failures node reports before PostgreSQL could say anything. */
const SOCKET_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT']);
/** node-postgres raises these as plain Errors, without a code. */
const CLIENT_MESSAGES = [
  'Connection terminated unexpectedly',
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
];

/** True when a PostgreSQL call failed because its connection was lost, so it may be tried again. */
export function isConnectionLost(error: unknown): boolean {
  // Already translated by an availability guard (the event store's, the read models').
  if (error instanceof DependencyUnavailableError) return true;
  // Duck-typed, not `instanceof Error`: node's socket errors come from another realm under jest's vm.
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (code.startsWith('08') || CONNECTION_SQLSTATES.has(code) || SOCKET_CODES.has(code))) {
    return true;
  }
  return typeof message === 'string' && CLIENT_MESSAGES.includes(message);
}
