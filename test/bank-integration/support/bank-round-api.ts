import type { LoggerService } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore, RecordedEvent } from '@salur/event-store';
import type { Role } from '@salur/kernel';
import { RedisConnection } from '@salur/queue';
import type { StartOptions } from '../../http/support/test-api';
import { startLedgerApi, LedgerApi, StoreKind } from '../../ledger/ledger-api';
import { rawRequest, RawResponse } from './raw-request';
import { deleteQueueKeys } from './redis-cleanup';

export interface JobView {
  readonly id: string;
  readonly state: string;
  readonly progress: unknown;
  readonly result: unknown;
  readonly failedReason: string | null;
}

/**
 * The real API with its embedded workers on SQLite (or PostgreSQL) and the local Redis, under a
 * unique queue prefix unless the test shares one (env QUEUE_PREFIX) between ledgers.
 */
export interface BankRoundApi {
  readonly ledger: LedgerApi;
  readonly store: EventStore;
  readonly prefix: string;
  readonly filesDir: string;
  call(
    role: Role,
    userId: string,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<RawResponse>;
  /** Polls GET /jobs/:id until the job completed (or failed, which throws). */
  finish(job: JobView): Promise<JobView>;
  events(type?: string): Promise<RecordedEvent[]>;
  close(): Promise<void>;
}

export async function startBankRoundApi(
  env: Record<string, string> = {},
  kind: StoreKind = 'sqlite',
  logger?: LoggerService,
  options: Pick<StartOptions, 'logDestination'> = {},
): Promise<BankRoundApi> {
  const prefix = env.QUEUE_PREFIX ?? `salur-test-bank-${randomUUID()}`;
  const filesDir = mkdtempSync(join(tmpdir(), 'salur-bank-files-'));
  const ledger = await startLedgerApi(
    kind,
    {
      EMBEDDED_WORKERS: 'true',
      BANK_FILES_DIR: filesDir,
      ...env,
      QUEUE_PREFIX: prefix,
    },
    logger,
    options,
  );
  const call: BankRoundApi['call'] = (role, userId, method, path, body, headers = {}) => {
    const token = ledger.api.token(role, userId);
    const isText = typeof body === 'string' || Buffer.isBuffer(body);
    return rawRequest(
      method,
      `${ledger.api.url}${path}`,
      {
        authorization: `Bearer ${token}`,
        ...(body !== undefined && !isText ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body === undefined ? undefined : isText ? (body as string | Buffer) : JSON.stringify(body),
    );
  };
  // The Redis connection comes up in the background after start-up; job endpoints answer 503 until then.
  while (!ledger.api.app.get(RedisConnection, { strict: false }).isUp()) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return {
    ledger,
    store: ledger.store,
    prefix,
    filesDir,
    call,
    finish: async (job) => {
      for (;;) {
        const response = await call('admin', 'admin-1', 'GET', `/jobs/${encodeURIComponent(job.id)}`);
        const current = response.json<JobView>();
        if (current.state === 'completed') return current;
        if (current.state === 'failed') throw new Error(`Job ${job.id} failed: ${current.failedReason}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    events: async (type) => {
      const all: RecordedEvent[] = [];
      for await (const event of ledger.store.readAll()) if (type === undefined || event.type === type) all.push(event);
      return all;
    },
    close: async () => {
      await ledger.close();
      await deleteQueueKeys(prefix);
      rmSync(filesDir, { recursive: true, force: true });
    },
  };
}

/** The round's programme, BANTU-UMAK-2026, as a programme officer creates it; the response. */
export function createProgramme(api: BankRoundApi): Promise<RawResponse> {
  return api.call('programme-officer', 'po-1', 'POST', '/programmes', {
    code: 'BANTU-UMAK',
    name: 'Bantuan Langsung Tunai',
    fiscalYear: 2026,
    budgetCeiling: '100000000.00',
    benefitAmount: '600000.00',
    currency: 'IDR',
  });
}
