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
  testTimeout: 60_000,
  // PostgreSQL and Redis are shared by the suites; two workers keep a 2-core machine responsive.
  maxWorkers: 2,
};
