import { join } from 'node:path';
import { demoSettings, pathVariablesToRepeat, storePathsFrom } from '../../tools/demo/demo-settings';

const folder = '/tmp/salur-demo-settings';
const choices = { folder, queuePrefix: 'salur-demo-x', signingKey: undefined };

describe('the demo settings', () => {
  it('keeps every store file in the folder when nothing is set, and quiets the request logs', () => {
    const { config, env, filled } = demoSettings({}, choices);
    expect(storePathsFrom(env)).toEqual({
      events: join(folder, 'salur.db'),
      readModels: join(folder, 'salur-read.db'),
      auditLog: join(folder, 'salur-audit.db'),
      personalDataKeys: join(folder, 'salur-keys.db'),
      idempotencyRecords: join(folder, 'salur-idempotency.db'),
      bankFiles: join(folder, 'bank-files'),
    });
    expect([config.eventStore.sqlitePath, config.readModel.sqlitePath]).toEqual([
      join(folder, 'salur.db'),
      join(folder, 'salur-read.db'),
    ]);
    expect(config.logging.level).toBe('warn');
    expect(config.queue.prefix).toBe('salur-demo-x');
    expect(config.embeddedWorkers).toBe(true);
    expect(Object.keys(filled)).toContain('LOG_LEVEL');
  });

  it('honours what the user set', () => {
    const { config, filled } = demoSettings(
      { SQLITE_PATH: '/srv/ledger.db', LOG_LEVEL: 'debug', QUEUE_PREFIX: 'mine', BANK_FILES_DIR: ' ' },
      choices,
    );
    expect(config.eventStore.sqlitePath).toBe('/srv/ledger.db');
    expect(config.logging.level).toBe('debug');
    expect(config.queue.prefix).toBe('mine');
    // Blank is unset, as the config readers see it.
    expect(config.bankIntegration.filesDir).toBe(join(folder, 'bank-files'));
    expect(Object.keys(filled)).not.toContain('SQLITE_PATH');
  });

  it('runs on PostgreSQL when told, with the read models, audit log and keys there too', () => {
    const { config, env } = demoSettings(
      { EVENT_STORE: 'postgres', DATABASE_URL: 'postgres://u@db:5432/demo' },
      choices,
    );
    const paths = storePathsFrom(env);
    expect(config.eventStore.adapter).toBe('postgres');
    expect([paths.events, paths.readModels, paths.auditLog, paths.personalDataKeys]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(paths.bankFiles).toBe(join(folder, 'bank-files'));
  });

  it('asks npm start only for the variables whose absence would move something', () => {
    expect(pathVariablesToRepeat(demoSettings({}, choices))).toEqual(['SQLITE_PATH', 'BANK_FILES_DIR']);
    const postgres = demoSettings({ EVENT_STORE: 'postgres' }, choices);
    expect(pathVariablesToRepeat(postgres)).toEqual(['BANK_FILES_DIR']);
  });
});
