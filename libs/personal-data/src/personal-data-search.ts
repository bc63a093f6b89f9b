import { CanActivate, ExecutionContext, HttpException, HttpStatus, Injectable, Module } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { requestPath, requestStateOf, type PlatformRequest } from '@salur/http';
import { forbidden } from '@salur/kernel';
import { seesIdentityNumbers } from './personal-data.policy';
import type { SearchableKind } from './stored-personal-data';

/**
 * Searching by NIK or KK is itself a read of personal data (DESIGN.md, Audit): whoever may search
 * learns whether a number is enrolled, and where. So a search is open only to those who see the
 * numbers in clear anyway, is rationed per person (an oracle answers one guess per request), and
 * is recorded like any unmasked read (the controllers call PersonalDataAccessLog).
 */

export interface SearchRateLimit {
  /** Searches a person may make at once; the bucket's size. */
  readonly searches: number;
  /** Time in which a spent bucket fills again. */
  readonly refillMs: number;
  /** People whose buckets are kept; past that the least recently seen is forgotten. */
  readonly maxActors: number;
}

/** Enough for an officer's day (a search every two seconds), far too few to walk the NIK space. */
export const SEARCH_RATE_LIMIT: SearchRateLimit = { searches: 30, refillMs: 60_000, maxActors: 10_000 };

interface Bucket {
  tokens: number;
  atMs: number;
}

/** A token bucket per user id, in memory: each process rations its own requests. */
export class SearchRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limit: SearchRateLimit = SEARCH_RATE_LIMIT,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Takes one search from the user's bucket: undefined when it may go ahead, else the whole
   * seconds until it may. `userId` is the token's, already canonical (lower case, trimmed).
   */
  take(userId: string): number | undefined {
    const now = this.clock();
    const bucket = this.bucketOf(userId, now);
    const perMs = this.limit.searches / this.limit.refillMs;
    bucket.tokens = Math.min(this.limit.searches, bucket.tokens + (now - bucket.atMs) * perMs);
    bucket.atMs = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1_000));
  }

  /** Kept in least-recently-used order, so the map stays bounded by maxActors. */
  private bucketOf(userId: string, now: number): Bucket {
    const known = this.buckets.get(userId);
    this.buckets.delete(userId);
    if (known === undefined && this.buckets.size >= this.limit.maxActors) {
      this.buckets.delete(this.buckets.keys().next().value as string);
    }
    const bucket = known ?? { tokens: this.limit.searches, atMs: now };
    this.buckets.set(userId, bucket);
    return bucket;
  }

  /** How many people have a bucket (for tests of the bound). */
  get actors(): number {
    return this.buckets.size;
  }
}

/** The search was refused for its rate: 429 with Retry-After. */
export class SearchRateLimitedError extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super(
      {
        code: 'SEARCH_RATE_LIMITED',
        message: `Too many searches by NIK or KK; retry in ${retryAfterSeconds} s`,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/**
 * The query parameters that search by personal data, however spelled: `nik`, `KK`, `nik[0]`. Any
 * of them makes the request a search, whatever its value: even a malformed one is refused to whoever
 * may not search, so no answer depends on the value for them.
 */
export function searchedKindsOf(path: string): SearchableKind[] {
  const query = path.includes('?') ? path.slice(path.indexOf('?') + 1) : '';
  const kinds = new Set<SearchableKind>();
  for (const key of new URLSearchParams(query).keys()) {
    const name = key.toLowerCase().replace(/\[.*$/, '');
    if (name === 'nik' || name === 'kk') kinds.add(name);
  }
  return [...kinds];
}

/**
 * On a route that may search by NIK or KK: refuses the search (403 PII_GRANT_REQUIRED) to whoever
 * does not see identity numbers in clear, then takes it from the person's budget (429
 * SEARCH_RATE_LIMITED with Retry-After). Runs after the global AccessGuard (which names the actor)
 * and before validation, so a refused caller learns nothing from how the value is checked.
 */
@Injectable()
export class PersonalDataSearchGuard implements CanActivate {
  constructor(private readonly limiter: SearchRateLimiter) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<PlatformRequest>();
    if (searchedKindsOf(requestPath(request)).length === 0) return true;
    const actor = requestStateOf(request).actor;
    if (actor === undefined) throw new Error('PersonalDataSearchGuard runs on authenticated routes only');
    if (!seesIdentityNumbers({ role: actor.role, grants: actor.grants })) {
      throw forbidden(
        'PII_GRANT_REQUIRED',
        'Searching by NIK or KK is a read of personal data: it needs a role that sees them, or the pii grant',
      );
    }
    const retryAfterSeconds = this.limiter.take(actor.userId);
    if (retryAfterSeconds === undefined) return true;
    http.getResponse<ServerResponse>().setHeader('Retry-After', String(retryAfterSeconds));
    throw new SearchRateLimitedError(retryAfterSeconds);
  }
}

/**
 * One SearchRateLimiter per application, shared by every module that imports this one (Nest
 * builds a module once), so a person's budget covers all the routes that search.
 */
@Module({
  providers: [{ provide: SearchRateLimiter, useFactory: () => new SearchRateLimiter() }, PersonalDataSearchGuard],
  exports: [SearchRateLimiter, PersonalDataSearchGuard],
})
export class PersonalDataSearchModule {}
