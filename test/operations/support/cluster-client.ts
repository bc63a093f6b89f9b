import { createServer } from 'node:net';
import type { Role } from '@salur/kernel';
import { AccessTokens } from '@salur/http';
import { http, HttpResponse } from '../../support/http';

/** A caller of one app of the cluster over HTTP, with a token per role and user. */
export interface AppClient {
  get<T = unknown>(role: Role, userId: string, path: string): Promise<HttpResponse<T>>;
  post<T = unknown>(
    role: Role,
    userId: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<HttpResponse<T>>;
}

export function appClient(baseUrl: string, tokens: AccessTokens): AppClient {
  const authorization = (role: Role, userId: string) => ({
    authorization: `Bearer ${tokens.issue({ userId, role, ttlSeconds: 600 })}`,
  });
  return {
    get: (role, userId, path) => http('GET', `${baseUrl}${path}`, { headers: authorization(role, userId) }),
    post: (role, userId, path, body, headers = {}) =>
      http('POST', `${baseUrl}${path}`, {
        ...(typeof body === 'string' ? { rawBody: body } : { body }),
        headers: { ...authorization(role, userId), ...headers },
      }),
  };
}

const POLL_MS = 200;

/**
 * Polls `probe` until it returns a value (not undefined), and returns it; fails after timeoutMs
 * naming what was awaited. Every wait of the cluster test is on a condition, never a fixed sleep.
 */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Not within ${timeoutMs / 1_000} s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** A TCP port nothing listens on now (the OS picks it), for an app started next. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
