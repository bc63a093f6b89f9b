// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/**
 * The layer rule: domain code decides and folds, nothing else. It may not reach for the
 * framework, the event store client, the queue or a database driver; those belong to the
 * adapters at the edge. test/layer-rule proves this rule fails on a violation.
 */
export const INFRASTRUCTURE_IN_DOMAIN = {
  patterns: [
    {
      group: [
        '@nestjs/*',
        '@eventstore/*',
        '@kurrent/*',
        'bullmq',
        'ioredis',
        'pg',
        'better-sqlite3',
        'prom-client',
        'pino',
        'nestjs-pino',
      ],
      message: 'Domain code stays pure: infrastructure belongs in an adapter or a Nest module.',
    },
    {
      // Another capability's domain, yes; its Nest module, handlers or adapters, no.
      regex: '^@salur/(?!kernel(/testing)?$)(?![^/]+/domain$)',
      message: 'Domain code stays pure: import another capability only through its /domain surface.',
    },
  ],
};

export default tseslint.config(
  // The fixtures break the rules on purpose; test/layer-rule lints them with --no-ignore.
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', 'test/layer-rule/fixtures/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['libs/*/src/domain/**/*.ts', 'test/layer-rule/fixtures/**/domain/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', INFRASTRUCTURE_IN_DOMAIN] },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { module: 'writable', require: 'readonly', process: 'readonly', console: 'readonly' } },
  },
);
