/** @type {import('jest').Config} */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/{apps,libs,test}/**/*.spec.ts'],
  // Chaos and load tests run through `npm run test:chaos` (jest.chaos.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/chaos/'],
  transform: {
    // Types are checked once by `npm run typecheck`; tests only transpile, which keeps them fast.
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }],
  },
  moduleNameMapper: {
    '^@salur/([^/]+)$': '<rootDir>/libs/$1/src',
    '^@salur/([^/]+)/(testing|domain)$': '<rootDir>/libs/$1/src/$2',
  },
  // A bound against hangs, not a speed test: long end-to-end tests (a worker killed and restarted,
  // a rebuild in another process, a round of a thousand) took over 180 s on a 2-core machine with
  // stress-ng on both cores beside the suite. Waits inside tests are on conditions.
  testTimeout: 600_000,
  // PostgreSQL and Redis are shared by the suites; two workers keep a 2-core machine responsive.
  maxWorkers: 2,
};
