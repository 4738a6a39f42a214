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
          include: ['test/store/**/*.test.ts', 'test/services/night.test.ts', 'test/services/night-workers.test.ts'],
          env: { HUXIN_TEST_ENGINE: 'postgres' },
          globalSetup: ['test/support/pgGlobalSetup.ts'],
        },
      },
    ],
  },
});
