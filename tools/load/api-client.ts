import { AccessTokens, jwtConfigFrom } from '@salur/http';
import type { Role } from '@salur/kernel';
import { Exchange, exchange } from './http-exchange';

/** Tokens outlive the longest run (set-up, load, drain): an expired token mid-run would be a false 401. */
const TOKEN_TTL_SECONDS = 4 * 3_600;
const JOB_POLL_MS = 50;
const JOB_TIMEOUT_MS = 300_000;

export interface JobView {
  readonly id: string;
  readonly state: string;
  readonly result: unknown;
  readonly failedReason: string | null;
}

/** The API seen by one client: a token per user (issued with the API's own key), JSON or raw bodies. */
export class ApiClient {
  private readonly tokens: AccessTokens;
  private readonly issued = new Map<string, string>();

  constructor(
    readonly url: string,
    jwtSecret: string,
  ) {
    this.tokens = new AccessTokens(jwtConfigFrom({ JWT_SECRET: jwtSecret }));
  }

  token(role: Role, userId: string, grants: readonly string[] = []): string {
    const key = `${role}\u0000${userId}\u0000${grants.join(',')}`;
    let token = this.issued.get(key);
    if (!token) {
      token = this.tokens.issue({ userId, role, grants, ttlSeconds: TOKEN_TTL_SECONDS });
      this.issued.set(key, token);
    }
    return token;
  }

  call(
    role: Role,
    userId: string,
    method: string,
    path: string,
    body?: unknown,
    contentType?: string,
  ): Promise<Exchange> {
    const raw = typeof body === 'string';
    const headers: Record<string, string> = { authorization: `Bearer ${this.token(role, userId)}` };
    if (body !== undefined) headers['content-type'] = contentType ?? (raw ? 'text/plain' : 'application/json');
    return exchange(
      method,
      `${this.url}${path}`,
      headers,
      body === undefined ? undefined : raw ? body : JSON.stringify(body),
    );
  }

  /** A call that must succeed (set-up): anything but 2xx stops the run with the answer. */
  async ok<T = Record<string, unknown>>(
    role: Role,
    userId: string,
    method: string,
    path: string,
    body?: unknown,
    contentType?: string,
  ): Promise<T> {
    const answer = await this.call(role, userId, method, path, body, contentType);
    if (answer.status < 200 || answer.status > 299)
      throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
    return (String(answer.headers['content-type'] ?? '').includes('json') ? answer.json<T>() : answer.text) as T;
  }

  /** Polls a job until it completed; a failed job or the bound stops the run. */
  async finish(job: JobView): Promise<JobView> {
    const deadline = Date.now() + JOB_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const current = await this.ok<JobView>('admin', 'load-admin', 'GET', `/jobs/${encodeURIComponent(job.id)}`);
      if (current.state === 'completed') return current;
      if (current.state === 'failed') throw new Error(`Job ${job.id} failed: ${current.failedReason}`);
      await new Promise((resolve) => setTimeout(resolve, JOB_POLL_MS));
    }
    throw new Error(`Job ${job.id} did not finish within ${JOB_TIMEOUT_MS} ms`);
  }
}
