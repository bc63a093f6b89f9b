import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_STORE, EventStore, eventStoreConfigFrom, EventStoreModule } from '@salur/event-store';
import { ProjectionsModule, ProjectionStatusService } from '@salur/projections';
import { appendAll } from './support/engine-harness';
import { ledgerScenario } from './support/ledger-scenario';
import { BudgetQueries, ProgrammeQueries } from '@salur/programmes';
import { LEDGER_PERSONAL_DATA, LEDGER_PROJECTIONS } from '@salur/ledger';
import { PersonalDataModule, personalDataConfigFrom } from '@salur/personal-data';
import { PaymentQueries } from '@salur/payments';
import { readModelConfigFrom } from '@salur/database';

describe('ProjectionsModule in a Nest application', () => {
  const directory = mkdtempSync(join(tmpdir(), 'salur-projections-module-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('migrates at start-up, projects in the background, answers queries and shuts down cleanly', async () => {
    const env = { SQLITE_PATH: join(directory, 'salur.db') };
    const eventStore = eventStoreConfigFrom(env);
    const moduleRef = await Test.createTestingModule({
      imports: [
        PersonalDataModule.forRoot(personalDataConfigFrom(env), LEDGER_PERSONAL_DATA),
        EventStoreModule.forRoot(eventStore),
        ProjectionsModule.forRoot({ readModel: readModelConfigFrom(env, eventStore), projections: LEDGER_PROJECTIONS }),
      ],
      // Query services live in their capabilities and read the database this global module opens.
      providers: [ProgrammeQueries, BudgetQueries, PaymentQueries],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    try {
      const position = await appendAll(
        app.get<EventStore>(EVENT_STORE),
        ledgerScenario({ programmes: 1, beneficiariesPerProgramme: 3, periods: ['2026-11'], batchSize: 10 }),
      );
      const projections = app.get(ProjectionStatusService);
      await projections.waitFor(position);

      expect(await app.get(ProgrammeQueries).getById('programme-1')).toMatchObject({ reserved: '1800000.00' });
      expect((await app.get(PaymentQueries).list({ period: '2026-11' })).items).toHaveLength(3);
      expect(await projections.status()).toEqual(
        LEDGER_PROJECTIONS.map(({ name }) =>
          expect.objectContaining({ name, state: 'running', position, headPosition: position, lag: 0 }),
        ),
      );
      expect(await app.get(BudgetQueries).get('programme-1')).toMatchObject({ reserved: '1800000.00' });
    } finally {
      await app.close();
    }
    // The read models live in their own file next to the events.
    expect(readModelConfigFrom(env, eventStore).sqlitePath).toBe(join(directory, 'salur-read.db'));
  });
});
