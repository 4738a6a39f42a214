import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // better-sqlite3 is native and synchronous; forks isolate each file's database handles.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
