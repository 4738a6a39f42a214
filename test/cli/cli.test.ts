/**
 * The `huxin` command line as a bureau's scripts use it (INTERFACES.md): exit status, one-line summaries,
 * and every problem of a rejected file as `line N, column C: reason`. Runs `main()` in-process against a
 * real SQLite file; one test runs the real `bin/huxin.mjs` to prove the command works from a shell.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { openDatabase } from '../../src/db/open.ts';

const dir = mkdtempSync(join(tmpdir(), 'huxin-cli-'));
const db = join(dir, 'huxin.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture(): { io: { stdout: Writable; stderr: Writable }; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, cb) {
        append(String(chunk));
        cb();
      },
    });
  return { io: { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)) }, out: () => out, err: () => err };
}

async function run(...argv: string[]) {
  const c = capture();
  const code = await main([...argv, '--db', db], c.io);
  return { code, out: c.out(), err: c.err() };
}

const count = (table: string): number => {
  const d = openDatabase(db);
  try {
    return (d.$client.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    d.$client.close();
  }
};

describe('huxin import', () => {
  beforeAll(async () => {
    for (const kind of ['projects', 'roster']) {
      const r = await run('import', kind, `fixtures/demo/${kind}.csv`);
      expect(r.code).toBe(0);
    }
  });

  it('prints a one-line summary with the batch id and row count, and exits 0', async () => {
    const r = await run('import', 'payroll', 'fixtures/demo/payroll.csv');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^batch 3 payroll payroll\.csv: \d+ rows, \d+ inserted, 0 replaced — imported$/m);
    // the demo payroll is a GBK export with a title row and a 合计 row: both skipped with a warning
    expect(r.out).toContain('warning:');
  });

  it('answers a second import of the same bytes as a duplicate and changes nothing', async () => {
    const before = count('payroll_rows');
    const r = await run('import', 'payroll', 'fixtures/demo/payroll.csv');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^batch 3 payroll .*duplicate/m);
    expect(count('payroll_rows')).toBe(before);
  });

  it('rejects a broken file with exit 1, every problem as "line N, column C: reason", and writes nothing', async () => {
    const batches = count('import_batches');
    const rows = count('payroll_rows');
    const r = await run('import', 'payroll', 'fixtures/import-cases/payroll-broken.csv');
    expect(r.code).toBe(1);
    const problems = r.err.split('\n').filter((l) => /^line \d+/.test(l));
    expect(problems.length).toBeGreaterThan(1);
    for (const p of problems) expect(p).toMatch(/^line \d+(, column [^:]+)?: \S/);
    expect(count('import_batches')).toBe(batches);
    expect(count('payroll_rows')).toBe(rows);
  });

  it('refuses an unknown kind and a missing file with a reason on stderr', async () => {
    const unknown = await run('import', 'salaries', 'fixtures/demo/payroll.csv');
    expect(unknown.code).not.toBe(0);
    expect(unknown.err).toContain('salaries');
    const missing = await run('import', 'payroll', join(dir, 'nope.csv'));
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('找不到文件');
  });
});

describe('huxin recompute', () => {
  it('stores the findings for the as-of date and says how many', async () => {
    for (const kind of ['payments', 'account_transactions', 'deposits']) {
      expect((await run('import', kind, `fixtures/demo/${kind}.csv`)).code).toBe(0);
    }
    const r = await run('recompute', '--as-of', '2026-11-28');
    expect(r.code).toBe(0);
    const stored = count('findings');
    expect(stored).toBeGreaterThan(0);
    expect(r.out).toContain(`${stored} findings`);
  });

  it('rejects a malformed --as-of', async () => {
    const r = await run('recompute', '--as-of', '2026-13-01');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--as-of');
  });
});

describe('bin/huxin.mjs', () => {
  it('runs from a shell and exits non-zero with usage for an unknown command', () => {
    let status = 0;
    let stderr = '';
    try {
      execFileSync(process.execPath, ['bin/huxin.mjs', 'frobnicate', '--db', db], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      const err = e as { status: number; stderr: string };
      status = err.status;
      stderr = err.stderr;
    }
    expect(status).toBe(2);
    expect(stderr).toContain('unknown command');
  });
});
