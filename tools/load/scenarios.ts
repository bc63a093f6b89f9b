import { randomUUID } from 'node:crypto';
import type { ApiClient } from './api-client';
import { Answer, Command } from './journal';
import { personOf } from './people';
import { Fixture, MAKER, PROGRAMME_ID, RaceBatch } from './setup';

export interface PlannedRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** Commands are journalled and verified afterwards; queries only counted. */
  readonly command?: Command;
}

/** One kind of traffic: its own autocannon instance, so its latencies are its own. */
export interface Scenario {
  readonly endpoint: string;
  readonly connections: number;
  /** The next request; undefined when there is nothing left to do (every race batch approved). */
  next(): PlannedRequest | undefined;
  settle?(request: PlannedRequest, answer: Answer): void;
}

/** Shares of the traffic that is deliberately awkward; the rest is ordinary. */
export const SHARES = {
  /** A retry of a recent command with the same idempotency key and body (a client that timed out). */
  retry: 0.08,
  /** An enrolment of a NIK already sent, under a new key: a 409 DUPLICATE_ENROLMENT. */
  duplicateNik: 0.07,
  /** An approval by the batch's maker: always a 403. */
  makerApproval: 0.03,
  /** An approval by an officer who already approved that batch, under a new key: a 409 ALREADY_APPROVED. */
  secondApproval: 0.05,
};
const RECENT = 64;
const ENROLMENT_OFFICERS = 4;
const FINANCE_OFFICERS = 40;
/** Officers race on this many batches at a time; when one is fully approved the next joins. */
const HOT_BATCHES = 3;

export interface Randomness {
  /** 0 <= x < 1 */
  next(): number;
}

/** mulberry32: a seeded run picks the same officers, batches and retries again. */
export function seededRandom(seed: number): Randomness {
  let state = seed >>> 0;
  return {
    next() {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    },
  };
}

const pick = <T>(random: Randomness, items: readonly T[]): T => items[Math.floor(random.next() * items.length)];

function json(token: string, key: string | undefined, body: unknown): Pick<PlannedRequest, 'headers' | 'body'> {
  return {
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...(key ? { 'idempotency-key': key } : {}),
    },
    body: JSON.stringify(body),
  };
}

/** Enrolment officers enrol new beneficiaries one by one; some NIKs twice, some requests retried. */
export function enrolments(api: ApiClient, fixture: Fixture, random: Randomness, connections: number): Scenario {
  let serial = fixture.firstFreeSerial;
  const recent: PlannedRequest[] = [];
  const sentNiks: number[] = [];
  return {
    endpoint: 'POST /programmes/:id/beneficiaries',
    connections,
    next() {
      const roll = random.next();
      if (roll < SHARES.retry && recent.length > 0) return pick(random, recent);
      const n = roll < SHARES.retry + SHARES.duplicateNik && sentNiks.length > 0 ? pick(random, sentNiks) : serial++;
      const userId = `eo-load-${1 + Math.floor(random.next() * ENROLMENT_OFFICERS)}`;
      const key = `enrol-${randomUUID()}`;
      const person = personOf(n);
      const request: PlannedRequest = {
        method: 'POST',
        path: `/programmes/${PROGRAMME_ID}/beneficiaries`,
        ...json(api.token('enrolment-officer', userId), key, person),
        command: { kind: 'enrol', key, userId, nik: person.nik },
      };
      remember(recent, request);
      if (sentNiks.length < RECENT * 16) sentNiks.push(n);
      return request;
    },
  };
}

/** Many finance officers approve the same few batches at once: four eyes and tiers under a race. */
export function approvals(api: ApiClient, fixture: Fixture, random: Randomness, connections: number): Scenario {
  const waiting = [...fixture.raceBatches];
  const hot: RaceBatch[] = [];
  const approvedBy = new Map<string, Set<string>>();
  const recent: PlannedRequest[] = [];
  const refill = () => {
    while (hot.length < HOT_BATCHES && waiting.length > 0) hot.push(waiting.shift() as RaceBatch);
  };
  const done = (batchId: string) => {
    const index = hot.findIndex((batch) => batch.batchId === batchId);
    if (index >= 0) hot.splice(index, 1);
    refill();
  };
  refill();
  return {
    endpoint: 'POST /batches/:id/approvals',
    connections,
    next() {
      if (hot.length === 0) return undefined;
      const roll = random.next();
      if (roll < SHARES.retry && recent.length > 0) return pick(random, recent);
      const batch = pick(random, hot);
      const already = [...(approvedBy.get(batch.batchId) ?? [])];
      let userId = `fo-${String(1 + Math.floor(random.next() * FINANCE_OFFICERS)).padStart(2, '0')}`;
      if (roll < SHARES.retry + SHARES.makerApproval) userId = MAKER;
      else if (roll < SHARES.retry + SHARES.makerApproval + SHARES.secondApproval && already.length > 0)
        userId = pick(random, already);
      const key = `approve-${randomUUID()}`;
      const request: PlannedRequest = {
        method: 'POST',
        path: `/batches/${batch.batchId}/approvals`,
        ...json(api.token('finance-officer', userId), key, { contentHash: batch.contentHash }),
        command: { kind: 'approve', key, userId, batchId: batch.batchId },
      };
      remember(recent, request);
      return request;
    },
    settle(request, answer) {
      if (request.command?.kind !== 'approve') return;
      const { batchId, userId } = request.command;
      if (answer.status === 200) {
        const approvers = approvedBy.get(batchId) ?? new Set<string>();
        approvers.add(userId);
        approvedBy.set(batchId, approvers);
        const required = fixture.raceBatches.find((batch) => batch.batchId === batchId)?.requiredApprovals ?? 1;
        if (approvers.size >= required) done(batchId);
      }
      if (answer.code === 'BATCH_NOT_PENDING') done(batchId);
    },
  };
}

/** The bank-integration role uploads the bank's answers; after the first round every upload is a repeat. */
export function bankResults(api: ApiClient, fixture: Fixture, connections: number): Scenario {
  let next = 0;
  const token = api.token('bank-integration', 'h2h-load');
  return {
    endpoint: 'POST /bank-results',
    connections,
    next() {
      const file = fixture.resultFiles[next++ % fixture.resultFiles.length];
      return {
        method: 'POST',
        path: '/bank-results',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml', 'x-file-name': file.name },
        body: file.body,
        command: { kind: 'bank-result', userId: 'h2h-load', fileName: file.name },
      };
    },
  };
}

/** Inspectors read while the others write: the audit trail of a batch, balances, batch views, the budget. */
export function inspectorQueries(
  api: ApiClient,
  fixture: Fixture,
  random: Randomness,
  connections: number,
): Scenario[] {
  const headers = { authorization: `Bearer ${api.token('inspector', 'insp-load')}` };
  const batchIds = [...fixture.raceBatches.map((batch) => batch.batchId), ...fixture.bankBatchIds];
  const query = (endpoint: string, path: () => string): Scenario => ({
    endpoint,
    connections,
    next: () => ({ method: 'GET', path: path(), headers }),
  });
  return [
    query('GET /audit/trail', () => `/audit/trail?batchId=${pick(random, batchIds)}&limit=50`),
    query('GET /balances', () => `/balances?programmeId=${PROGRAMME_ID}&limit=50`),
    query('GET /batch-views/:id', () => `/batch-views/${pick(random, batchIds)}`),
    query('GET /budgets/:id', () => `/budgets/${PROGRAMME_ID}`),
  ];
}

function remember(recent: PlannedRequest[], request: PlannedRequest): void {
  recent.push(request);
  if (recent.length > RECENT) recent.shift();
}
