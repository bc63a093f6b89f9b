import type { LoggerService } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@salur/event-store';
import type { Role } from '@salur/kernel';
import { bearer, RunningApi, startApi, type StartOptions } from '../http/support/test-api';
import { http, HttpResponse } from '../support/http';
import { createFreshDatabase, FreshDatabase } from '../support/postgres';

/** The real API on one event store, with a token per user, as the ledger tests use it. */
export interface LedgerApi {
  readonly api: RunningApi;
  readonly store: EventStore;
  as(role: Role, userId?: string, grants?: readonly string[]): Caller;
  close(): Promise<void>;
}

export interface Caller {
  post<T = Record<string, unknown>>(
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<HttpResponse<T>>;
  get<T = Record<string, unknown>>(path: string): Promise<HttpResponse<T>>;
}

export type StoreKind = 'sqlite' | 'postgres';

export async function startLedgerApi(
  kind: StoreKind,
  env: Record<string, string> = {},
  logger?: LoggerService,
  options: Pick<StartOptions, 'logDestination'> = {},
): Promise<LedgerApi> {
  let database: FreshDatabase | undefined;
  if (kind === 'postgres') database = await createFreshDatabase('ledger');
  const api = await startApi({
    env: { ...(database ? { EVENT_STORE: 'postgres', DATABASE_URL: database.url } : {}), ...env },
    logger,
    ...options,
  });
  const store = api.app.get<EventStore>(EVENT_STORE);
  return {
    api,
    store,
    as: (role, userId = `${role}-1`, grants = []) => {
      const token = api.token(role, userId, grants);
      return {
        post: (path, body, headers = {}) =>
          http('POST', `${api.url}${path}`, { body, headers: bearer(token, headers) }),
        get: (path) => http('GET', `${api.url}${path}`, { headers: bearer(token) }),
      };
    },
    close: async () => {
      await api.close();
      await database?.drop();
    },
  };
}

/** A valid NIK of a woman born 5 Sept 1985 in Musi Banyuasin (16.06.01), with the given serial. */
export function nikOf(serial: number): string {
  return `160601450985${String(serial).padStart(4, '0')}`;
}

export function enrolment(serial: number) {
  return {
    nik: nikOf(serial),
    kk: '1606010101100001',
    name: `SITI AMINAH ${serial}`,
    regionCode: '16.06.01.2001',
    bankAccount: {
      bankCode: '002',
      accountNumber: `0019010${String(serial).padStart(8, '0')}`,
      accountHolderName: `SITI AMINAH ${serial}`,
    },
  };
}
