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

export default defineConfig({
  test: {
    projects: [
      { test: { ...common, name: 'sqlite', include: ['test/**/*.test.ts'], env: { HUXIN_TEST_ENGINE: 'sqlite' } } },
      {
        test: {
          ...common,
          name: 'postgres',
          include: [
            'test/store/**/*.test.ts',
            'test/services/night.test.ts',
            'test/services/night-workers.test.ts',
            'test/enforcement/store.test.ts',
            'test/api/engines.test.ts',
            // the importer (batches, every kind, file layouts, workbooks, the registries' kinds, the demo city)
            'test/imports/**/*.test.ts',
            'test/registries/imports.test.ts',
            'test/registries/facts.test.ts',
            'test/notices/contacts-import.test.ts',
            // reports, jobs, the province CLI, erasure
            'test/reports/from-state.test.ts',
            'test/reports/report.test.ts',
            'test/reports/engines.test.ts',
            'test/jobs/**/*.test.ts',
            'test/cli/province.test.ts',
            'test/reliability/erase.test.ts',
          ],
          env: { HUXIN_TEST_ENGINE: 'postgres' },
          globalSetup: ['test/support/pgGlobalSetup.ts'],
        },
      },
    ],
  },
});
