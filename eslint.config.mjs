// Conventions a machine checks (npm run lint, run by npm test): every promise is awaited or explicitly
// voided, and workflow code stays deterministic by importing nothing that reaches the outside world.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'prisma/generated/',
      '.data/',
      'coverage/',
      'test-results/',
      '.test-tmp/',
      'console/dist/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: globals.node },
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests read JSON bodies of many shapes.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // lib/ is shared by the API, the worker, scripts and benchmarks: it depends on none of them.
    files: ['lib/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../api/*', '../api/**', '../workers/*', '../activities/*', '../activities/**'],
              message: 'lib/ imports nothing from api/, workers/ or activities/',
            },
          ],
        },
      ],
    },
  },
  {
    // The console is bundled for the browser: server code reaches it as types only (erased by the build),
    // except the status catalogue, plain constants the screens list and test against.
    files: ['console/src/**/*.ts', 'console/src/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: String.raw`^(\.\./){2,}(?!domain/statuses$)[^.]`,
              allowTypeImports: true,
              message: 'the console imports server code as types only (import type)',
            },
          ],
        },
      ],
    },
  },
  {
    // A screen's own folder (console/src/screens/order/) sits one level deeper: the same rule, counted
    // from there, so `../../api` (console/src/api) stays a value import while server code does not.
    files: ['console/src/*/*/**/*.ts', 'console/src/*/*/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: String.raw`^(\.\./){3,}(?!domain/statuses$)[^.]`,
              allowTypeImports: true,
              message: 'the console imports server code as types only (import type)',
            },
          ],
        },
      ],
    },
  },
  {
    // Benchmarks, the soak and shared fixtures run outside jest: they share fixtures/, never test/.
    files: ['bench/**/*.ts', 'soak/**/*.ts', 'fixtures/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../test/*', '../test/**', '../../test/**'],
              message: 'bench/, soak/ and fixtures/ import nothing from test/ (shared fixtures live in fixtures/)',
            },
          ],
        },
      ],
    },
  },
  {
    // Size limits (issue 12): a file a newcomer can read in one sitting, a function in one screen.
    // Tests (scenarios and case tables) and the seed data are data more than code.
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['test/**', 'prisma/seed-data.ts'],
    rules: {
      'max-lines': ['error', { max: 300 }],
      'max-lines-per-function': ['error', { max: 80 }],
    },
  },
  {
    // Workflow code is replayed: no I/O, no clocks or randomness outside the SDK's, no database or HTTP.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:*',
                'fs',
                'path',
                'os',
                'crypto',
                'http',
                'https',
                'net',
                'child_process',
                'worker_threads',
                'timers',
                'events',
                'stream',
                'util',
              ],
              message: 'workflow code is deterministic: no Node built-ins (use @temporalio/workflow)',
            },
            {
              group: ['@prisma/*', '**/prisma/generated/**', 'pg'],
              message: 'workflow code never touches the database: call an activity',
            },
            {
              group: ['fastify', 'fastify/*', '@fastify/*', 'nodemailer', 'undici'],
              message: 'workflow code does no I/O: call an activity',
            },
            {
              group: ['../lib/*', '../../lib/*', '../../../lib/*'],
              message: 'lib/ holds I/O helpers: workflow code imports domain/ and workflows/ only',
            },
            {
              group: ['@temporalio/client', '@temporalio/worker', '@temporalio/activity'],
              message: 'workflow code imports @temporalio/workflow only',
            },
          ],
        },
      ],
    },
  },
);
