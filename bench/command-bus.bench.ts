import 'reflect-metadata';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus, CqrsModule } from '@nestjs/cqrs';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LedgerConfigModule, ledgerConfigFrom, LedgerContext, metadataOf } from '@salur/application';
import { EnrolBeneficiaryCommand } from '@salur/beneficiaries';
import { eventStoreConfigFrom, EventStoreModule } from '@salur/event-store';
import { LEDGER_PERSONAL_DATA } from '@salur/ledger';
import { PersonalDataModule, personalDataConfigFrom } from '@salur/personal-data';
import { CreateProgrammeCommand } from '@salur/programmes';
// The handlers without their controllers: the controllers need the read models, which are not
// part of the command path measured here (the HTTP benchmark runs the whole API).
import { BENEFICIARY_HANDLERS } from '../libs/beneficiaries/src/application/beneficiary.handlers';
import { PROGRAMME_HANDLERS } from '../libs/programmes/src/application/programme.handlers';
import { Benchmark, Measurement, timed } from './harness';

/** Commands per run: a few seconds at the fsync-bound rate, enough to dominate start-up. */
const COMMANDS_PER_RUN = 10_000;
/** Commands in flight at once in the concurrent case: as many as the HTTP benchmark's connections. */
const CONCURRENT_COMMANDS = 50;
/** Issue 7's absolute target for single-event commands on SQLite. */
export const TARGET_COMMANDS_PER_SECOND = 10_000;

/** NIK serials run from 0001 to 9999, so every 9,999 enrolments go to a programme of their own. */
const NIKS_PER_PROGRAMME = 9_999;

/** A valid NIK of a woman born 5 Sept 1985 in Musi Banyuasin (16.06.01), unique within its programme. */
const nikOf = (serial: number) => `160601450985${String((serial % NIKS_PER_PROGRAMME) + 1).padStart(4, '0')}`;

function enrolment(serial: number) {
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

function context(): LedgerContext {
  return {
    actor: { userId: 'bench-officer', role: 'enrolment-officer' },
    now: new Date().toISOString(),
    correlationId: randomUUID(),
    causationId: randomUUID(),
  };
}

function withTemporaryDirectory<T>(work: (directory: string) => Promise<T>): Promise<T> {
  const directory = mkdtempSync(join(tmpdir(), 'salur-bench-commands-'));
  return work(directory).finally(() => rmSync(directory, { recursive: true, force: true }));
}

/** A real Nest application context: the event-store module on SQLite, the CQRS bus and the command handlers. */
async function commandApplication(sqlitePath: string): Promise<INestApplicationContext> {
  const env = { SQLITE_PATH: sqlitePath, BENEFICIARY_ID_KEY: 'bench-only-beneficiary-id-key-0123456789' };
  @Module({
    imports: [
      // Enrolment seals the NIK, KK, name and account: the measured path includes it.
      PersonalDataModule.forRoot(personalDataConfigFrom(env), LEDGER_PERSONAL_DATA),
      EventStoreModule.forRoot(eventStoreConfigFrom(env)),
      LedgerConfigModule.forRoot(ledgerConfigFrom(env)),
      CqrsModule.forRoot(),
    ],
    providers: [...PROGRAMME_HANDLERS, ...BENEFICIARY_HANDLERS],
  })
  class CommandBenchModule {}
  return NestFactory.createApplicationContext(CommandBenchModule, { logger: false });
}

async function createProgramme(bus: CommandBus, fiscalYear: number): Promise<string> {
  const receipt = await bus.execute(
    new CreateProgrammeCommand(
      {
        code: 'BENCH',
        name: 'Benchmark programme',
        fiscalYear,
        budgetCeiling: '1000000000000.00',
        benefitAmount: '600000.00',
        currency: 'IDR',
      },
      { ...context(), actor: { userId: 'bench-programme-officer', role: 'programme-officer' } },
    ),
  );
  return receipt.id;
}

/**
 * Enrolments dispatched through the CommandBus, `inFlight` at a time: each loads the programme
 * and the (new) beneficiary stream, decides and appends one event with expectedRevision no_stream.
 */
function enrolThroughCommandBus(inFlight: number): Promise<Measurement> {
  return withTemporaryDirectory(async (directory) => {
    const app = await commandApplication(join(directory, 'events.db'));
    try {
      const bus = app.get(CommandBus);
      const programmeIds: string[] = [];
      for (let block = 0; block * NIKS_PER_PROGRAMME < COMMANDS_PER_RUN; block++) {
        programmeIds.push(await createProgramme(bus, 2026 + block));
      }
      const commands = Array.from(
        { length: COMMANDS_PER_RUN },
        (_, serial) =>
          new EnrolBeneficiaryCommand(
            programmeIds[Math.floor(serial / NIKS_PER_PROGRAMME)],
            enrolment(serial),
            context(),
          ),
      );
      let next = 0;
      const worker = async () => {
        while (next < commands.length) {
          const receipt = await bus.execute(commands[next++]);
          if (receipt.position === null) throw new Error('An enrolment wrote nothing: the benchmark is broken');
        }
      };
      return await timed(COMMANDS_PER_RUN, () => Promise.all(Array.from({ length: inFlight }, worker)).then(() => {}));
    } finally {
      await app.close();
    }
  });
}

/**
 * The baseline: the raw work under one such command, the bare better-sqlite3 insert of one
 * event in one BEGIN IMMEDIATE transaction, with the adapter's schema and pragmas (WAL,
 * synchronous=FULL: one fsync per commit).
 */
function rawOneEventTransactions(): Promise<Measurement> {
  return withTemporaryDirectory(async (directory) => {
    const db = new Database(join(directory, 'events.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY, stream_name TEXT NOT NULL, revision INTEGER NOT NULL,
      event_id TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, recorded_at TEXT NOT NULL);
      CREATE UNIQUE INDEX events_stream_revision ON events (stream_name, revision);`);
    const insert = db.prepare(
      'INSERT INTO events (stream_name, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const rows = Array.from({ length: COMMANDS_PER_RUN }, (_, serial) => ({
      stream: `beneficiary-${randomUUID()}`,
      data: JSON.stringify({ beneficiaryId: randomUUID(), programmeId: 'BENCH-2026', ...enrolment(serial) }),
      metadata: JSON.stringify(metadataOf(context())),
    }));
    const writeOne = db.transaction((row: (typeof rows)[number]) =>
      insert.run(row.stream, 0, randomUUID(), 'BeneficiaryEnrolled', row.data, row.metadata, new Date().toISOString()),
    );
    try {
      return await timed(COMMANDS_PER_RUN, () => rows.forEach((row) => writeOne.immediate(row)));
    } finally {
      db.close();
    }
  });
}

export const commandBusBenchmarks: Benchmark[] = [
  {
    name: 'command-bus-sqlite',
    unit: 'commands/s',
    baseline: { name: 'raw better-sqlite3, 1 event per transaction', run: rawOneEventTransactions },
    cases: [
      { name: 'CommandBus enrolments, 1 in flight', run: () => enrolThroughCommandBus(1) },
      {
        name: `CommandBus enrolments, ${CONCURRENT_COMMANDS} in flight`,
        run: () => enrolThroughCommandBus(CONCURRENT_COMMANDS),
      },
    ],
    absoluteTargets: {
      [`CommandBus enrolments, ${CONCURRENT_COMMANDS} in flight`]: TARGET_COMMANDS_PER_SECOND,
    },
  },
];
