import { NO_POSITION, ProjectionWaitTimeoutError } from '@salur/projections';
import { directoryProjection } from './support/directory-projection';
import type { Page, PageRequest } from '@salur/projections';
import type { Backend, BackendFactory } from './support/backends';
import { CrashAfterRows } from './support/crash-after-rows';
import {
  appendAll,
  checkpointOf,
  dumpTables,
  expectedTables,
  readLog,
  startEngine,
  until,
} from './support/engine-harness';
import { eventCount, ledgerScenario } from './support/ledger-scenario';
import { BatchQueries } from '@salur/batches';
import { BeneficiaryQueries } from '@salur/beneficiaries';
import { PaymentQueries } from '@salur/payments';
import { ProgrammeQueries } from '@salur/programmes';
import { openTestVault, type TestVault } from '../support/personal-data';

const PROJECTIONS = [directoryProjection];

/** About 900 events: 2 programmes × 30 beneficiaries × 2 periods, batches of 8. */
const SCENARIO = ledgerScenario({
  programmes: 2,
  beneficiariesPerProgramme: 30,
  periods: ['2026-01', '2026-Q2'],
  batchSize: 8,
});
const LATER_ROUND = ledgerScenario({
  programmes: 1,
  beneficiariesPerProgramme: 12,
  periods: ['2026-07'],
  batchSize: 8,
});

/** Walks a list page by page and returns every item; bounded so a broken cursor cannot loop forever. */
async function allPages<Item>(
  fetch: (page: PageRequest) => Promise<Page<Item>>,
  limit: number,
  betweenPages: () => Promise<void> = async () => undefined,
): Promise<Item[]> {
  const maxPages = 1_000;
  const items: Item[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < maxPages; pages++) {
    const page = await fetch({ limit, cursor });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    if (page.nextCursor === null) return items;
    cursor = page.nextCursor;
    await betweenPages();
  }
  throw new Error(`more than ${maxPages} pages`);
}

export function describeProjectionEngine(name: string, createBackend: BackendFactory): void {
  describe(`projection engine on ${name}`, () => {
    let backend: Backend;
    // The scenario is appended to the raw adapter (no sealing): the rows keep its values as they are.
    let personalData: TestVault;
    beforeEach(async () => {
      backend = await createBackend();
      personalData = await openTestVault();
    });
    afterEach(async () => {
      await backend.dispose();
      await personalData.close();
    });

    it('projects every event appended through the store into the tables the pure fold predicts', async () => {
      const head = await appendAll(backend.store, SCENARIO);
      const running = await startEngine(backend.store, backend.readModel, PROJECTIONS, { untilPosition: head });
      try {
        const log = await readLog(backend.store);
        expect(log).toHaveLength(eventCount(SCENARIO));
        expect(await dumpTables(running.db, directoryProjection)).toEqual(expectedTables(directoryProjection, log));
        expect(await checkpointOf(running.db, 'directory')).toBe(head);

        const [status] = await running.engine.status();
        expect(status).toMatchObject({
          name: 'directory',
          state: 'running',
          position: head,
          headPosition: head,
          lag: 0,
        });
        expect(status.eventsApplied).toBe(log.length);

        // Money and identity numbers come back exactly as written: strings, never rounded.
        const programme = await new ProgrammeQueries(running.db).getById('programme-1');
        expect(programme).toMatchObject({ budgetCeiling: '999999999999999.99', reserved: '36000000.00' });
        const papua = await new BeneficiaryQueries(running.db, personalData.vault).getById('beneficiary-100002');
        expect(papua).toEqual(expect.objectContaining({ id: 'beneficiary-100002', nik: '9171000000100002' }));
      } finally {
        await running.stop();
      }
    });

    it('resumes from its checkpoint after a restart and applies no event twice', async () => {
      const firstHead = await appendAll(backend.store, SCENARIO);
      const first = await startEngine(backend.store, backend.readModel, PROJECTIONS, { untilPosition: firstHead });
      await first.stop();

      const secondHead = await appendAll(backend.store, LATER_ROUND);
      const second = await startEngine(backend.store, backend.readModel, PROJECTIONS, { untilPosition: secondHead });
      try {
        const [status] = await second.engine.status();
        expect(status.eventsApplied).toBe(eventCount(LATER_ROUND));
        const log = await readLog(backend.store);
        expect(await dumpTables(second.db, directoryProjection)).toEqual(expectedTables(directoryProjection, log));
      } finally {
        await second.stop();
      }
    });

    it('replays a rewound checkpoint without changing a row: each row keeps its last applied position', async () => {
      const head = await appendAll(backend.store, SCENARIO);
      const first = await startEngine(backend.store, backend.readModel, PROJECTIONS, { untilPosition: head });
      const before = await dumpTables(first.db, directoryProjection);
      await first.db.updateTable('projectionCheckpoints').set({ position: NO_POSITION }).execute();
      await first.stop();

      const replay = await startEngine(backend.store, backend.readModel, PROJECTIONS, { untilPosition: head });
      try {
        const [status] = await replay.engine.status();
        expect(status.eventsApplied).toBe(eventCount(SCENARIO));
        // Budget totals are sums: an event applied twice would show here first.
        expect(await dumpTables(replay.db, directoryProjection)).toEqual(before);
      } finally {
        await replay.stop();
      }
    });

    it('survives a crash in the middle of a batch: rows and checkpoint agree, and the next run applies the rest once', async () => {
      const head = await appendAll(backend.store, SCENARIO);
      const log = await readLog(backend.store);
      // Past the first batch (up to one insert per table of the six), into the middle of a later one.
      const crash = new CrashAfterRows(12);
      const crashed = await startEngine(backend.store, backend.readModel, PROJECTIONS, { plugins: [crash] });
      await until(async () => (await crashed.engine.status())[0].state === 'retrying', 10_000, 'the crash');
      expect(crash.crashes).toBe(1);
      const [failed] = await crashed.engine.status();
      expect(failed.lastError).toMatch(/simulated crash/);

      const checkpoint = await checkpointOf(crashed.db, 'directory');
      expect(checkpoint).toBeGreaterThan(0);
      expect(checkpoint).toBeLessThan(head);
      const committed = log.filter((event) => event.position <= checkpoint);
      expect(await dumpTables(crashed.db, directoryProjection)).toEqual(expectedTables(directoryProjection, committed));
      await crashed.stop();

      const next = await startEngine(backend.store, backend.readModel, PROJECTIONS, { untilPosition: head });
      try {
        const [status] = await next.engine.status();
        expect(status.eventsApplied).toBe(log.length - committed.length);
        expect(await dumpTables(next.db, directoryProjection)).toEqual(expectedTables(directoryProjection, log));
      } finally {
        await next.stop();
      }
    });

    it('lets a read wait until its command is projected, and says so clearly when it is not in time', async () => {
      const head = await appendAll(backend.store, SCENARIO);
      const running = await startEngine(backend.store, backend.readModel, PROJECTIONS, { untilPosition: head });
      try {
        const payments = new PaymentQueries(running.db);
        const laterHead = await appendAll(backend.store, LATER_ROUND);
        await running.engine.waitFor(laterHead);
        const page = await payments.list({ period: '2026-07' }, { limit: 500 });
        expect(page.items).toHaveLength(12);

        const beyond = laterHead + 1_000;
        const waiting = running.engine.waitFor(beyond, { timeoutMs: 200 });
        await expect(waiting).rejects.toBeInstanceOf(ProjectionWaitTimeoutError);
        await expect(running.engine.waitFor(beyond, { timeoutMs: 50 })).rejects.toThrow(
          `Projection 'directory' did not reach position ${beyond} within 50 ms (it is at ${laterHead})`,
        );
        await expect(running.engine.waitFor(beyond, { timeoutMs: 60_000 })).rejects.toThrow(RangeError);
      } finally {
        await running.stop();
      }
    });

    it('pages through every list under a filter, each row exactly once, while the ledger moves on', async () => {
      const head = await appendAll(backend.store, SCENARIO);
      const running = await startEngine(backend.store, backend.readModel, PROJECTIONS, { untilPosition: head });
      try {
        const log = await readLog(backend.store);
        const expected = expectedTables(directoryProjection, log);
        const idsWhere = (table: string, keep: (row: Record<string, unknown>) => boolean) =>
          expected[table].filter(keep).map((row) => row.id);

        // Payments of one programme, in pages of 7, while a later round is appended and projected.
        let moved = false;
        const payments = await allPages(
          (page) => new PaymentQueries(running.db).list({ programmeId: 'programme-1' }, page),
          7,
          async () => {
            if (moved) return;
            moved = true;
            await running.engine.waitFor(await appendAll(backend.store, LATER_ROUND));
          },
        );
        const paymentIds = payments.map((payment) => payment.id);
        expect(new Set(paymentIds).size).toBe(paymentIds.length);
        expect(paymentIds).toEqual(
          expect.arrayContaining(idsWhere('balancesPayments', (row) => row.programmeId === 'programme-1')),
        );
        expect(payments.every((payment) => typeof payment.amount === 'string')).toBe(true);

        const credited = await allPages(
          (page) => new PaymentQueries(running.db).list({ status: 'credited', period: '2026-01' }, page),
          9,
        );
        expect(credited.map((payment) => payment.id).sort()).toEqual(
          idsWhere('balancesPayments', (row) => row.status === 'credited' && row.period === '2026-01'),
        );

        const papuans = await allPages(
          (page) =>
            new BeneficiaryQueries(running.db, personalData.vault).list(
              { regionCodePrefix: '91.71', status: 'active' },
              page,
            ),
          4,
        );
        expect(papuans.map((beneficiary) => beneficiary.id).sort()).toEqual(
          idsWhere('beneficiaries', (row) => String(row.regionCode).startsWith('91.71') && row.status === 'active'),
        );

        const batches = await allPages(
          (page) => new BatchQueries(running.db).list({ programmeId: 'programme-2' }, page),
          3,
        );
        expect(batches.map((batch) => batch.id).sort()).toEqual(
          idsWhere('batchViewsBatches', (row) => row.programmeId === 'programme-2'),
        );
        expect(batches[0].approverIds).toEqual(['finance-officer-2', 'finance-officer-3']);

        const programmes = await allPages(
          (page) => new ProgrammeQueries(running.db).list({ fiscalYear: 2026 }, page),
          1,
        );
        expect(programmes.map((programme) => programme.id)).toEqual(['programme-1']);
      } finally {
        await running.stop();
      }
    });

    it('rebuilds a projection from the first event into the same tables', async () => {
      const head = await appendAll(backend.store, SCENARIO);
      const running = await startEngine(backend.store, backend.readModel, PROJECTIONS, { untilPosition: head });
      try {
        const before = await dumpTables(running.db, directoryProjection);
        await running.engine.rebuild('directory');
        await running.engine.waitFor(head);
        expect(await dumpTables(running.db, directoryProjection)).toEqual(before);
        expect((await running.engine.status())[0].eventsApplied).toBe(eventCount(SCENARIO));
      } finally {
        await running.stop();
      }
    });
  });
}
