import { defineConfig } from 'vitest/config';

/**
 * Two projects: the whole suite on SQLite, and every test that touches storage once more on PostgreSQL
 * (a throwaway server started by test/support/pgGlobalSetup.ts). HUXIN_TEST_ENGINE tells a test file
 * which engine it runs on (test/support/engines.ts).
 */
const common = {
  // better-sqlite3 is native and synchronous; forks isolate each file's database handles.
  pool: 'forks' as const,
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

/** No storage in them (the rules core, the domain's types, the law's parameters, a browser's launch): one engine is enough. */
const PURE = [
  // the rules core (lean-identity reads its cities' facts through the SQLite store: the identity is the core's;
  // the PostgreSQL reader's facts are proven the same by test/store and test/imports)
  'test/rules/**',
  'test/domain/calendar-values.test.ts',
  'test/domain/identity.test.ts',
  'test/domain/money.test.ts',
  'test/domain/text.test.ts',
  'test/enforcement/cases.test.ts',
  'test/enforcement/deadlines.test.ts',
  'test/enforcement/listing.test.ts',
  'test/params/history.test.ts',
  'test/params/loader.test.ts',
  'test/params/sentences.test.ts',
  'test/registries/injury-insurance.test.ts',
  'test/e2e/chromium.test.ts',
  // the logger's settings, refused before any database is opened
  'test/api/log-settings.test.ts',
];

/** About SQLite itself (its file, its pragmas, its upgrade path) — each with the reason it has no PostgreSQL meaning. */
const SQLITE_ONLY: string[] = [];

/** Not yet carried onto PostgreSQL (issue 17): each line here is a debt, removed when its file runs on both engines. */
const NOT_YET: string[] = [];

export default defineConfig({
  test: {
    projects: [
      { test: { ...common, name: 'sqlite', include: ['test/**/*.test.ts'], env: { HUXIN_TEST_ENGINE: 'sqlite' } } },
      {
        test: {
          ...common,
          name: 'postgres',
          include: ['test/**/*.test.ts'],
          exclude: [...PURE, ...SQLITE_ONLY, ...NOT_YET],
          env: { HUXIN_TEST_ENGINE: 'postgres' },
          globalSetup: ['test/support/pgGlobalSetup.ts'],
        },
      },
    ],
  },
});
