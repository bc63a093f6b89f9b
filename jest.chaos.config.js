/**
 * Chaos and load tests (`npm run test:chaos`): real processes killed mid-work, Redis restarted,
 * PostgreSQL backends terminated, the API under mixed load. Slow by nature, so kept out of
 * `npm test`; CI runs both.
 * @type {import('jest').Config}
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- Jest config files are CommonJS
const base = require('./jest.config');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/chaos/**/*.chaos.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 600_000,
  // One at a time: each test owns the machine's cores while it kills and restarts things.
  maxWorkers: 1,
};
