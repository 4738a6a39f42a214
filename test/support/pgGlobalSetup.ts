/**
 * Vitest global setup: one throwaway PostgreSQL server for the whole run (test/support/pgServer.ts), its
 * URL provided to the test files as `pgUrl`. Each test that needs PostgreSQL creates a database of its own
 * in it (test/support/engines.ts) and drops it afterwards.
 */
import type { TestProject } from 'vitest/node';
import { startPgServer } from './pgServer.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPgServer();
  project.provide('pgUrl', server.url);
  return () => server.stop();
}
