/**
 * The `huxin` command line as a bureau's scripts use it (INTERFACES.md): exit status, one-line summaries,
 * and every problem of a rejected file as `line N, column C: reason`. Runs `main()` in-process against a
 * database of the test's engine (a SQLite file, or a PostgreSQL URL as --db); one test runs the real
 * `bin/huxin.mjs` to prove the command works from a shell.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { COMMAND_SPECS, type CommandSpec } from '../../src/cli/commands.ts';
import { tablesOf } from '../../src/store/copy.ts';
import { ENGINE, freshLocation, type TestLocation } from '../support/engines.ts';
import { onStore } from '../support/storeOn.ts';
import { countOf } from '../support/toEngine.ts';

const dir = mkdtempSync(join(tmpdir(), 'huxin-cli-'));
let loc: TestLocation;
/** the --db of every command: a file (SQLite) or a postgres:// URL */
let db = '';
beforeAll(async () => {
  loc = await freshLocation();
  db = loc.location;
});
afterAll(async () => {
  await loc?.drop();
  rmSync(dir, { recursive: true, force: true });
});

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

const count = (table: string): Promise<number> => onStore(db, async (s) => countOf(await s.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`)));

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
    const before = await count('payroll_rows');
    const r = await run('import', 'payroll', 'fixtures/demo/payroll.csv');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^batch 3 payroll .*duplicate/m);
    expect(await count('payroll_rows')).toBe(before);
  });

  it('rejects a broken file with exit 1, every problem as "line N, column C: reason", and writes nothing', async () => {
    const batches = await count('import_batches');
    const rows = await count('payroll_rows');
    const r = await run('import', 'payroll', 'fixtures/import-cases/payroll-broken.csv');
    expect(r.code).toBe(1);
    const problems = r.err.split('\n').filter((l) => /^line \d+/.test(l));
    expect(problems.length).toBeGreaterThan(1);
    for (const p of problems) expect(p).toMatch(/^line \d+(, column [^:]+)?: \S/);
    expect(await count('import_batches')).toBe(batches);
    expect(await count('payroll_rows')).toBe(rows);
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
    const stored = await count('findings');
    expect(stored).toBeGreaterThan(0);
    expect(r.out).toContain(`预警 ${stored} 条`);
  });

  it('rejects a malformed --as-of', async () => {
    const r = await run('recompute', '--as-of', '2026-13-01');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--as-of');
  });
});

/**
 * What the database holds, to tell that a command touched nothing. SQLite: the file's bytes (and whether a WAL
 * or journal is left beside it). PostgreSQL, which has no file of its own: every row of every table of the
 * schema (read on a connection of its own, after the command has closed its own).
 */
async function fingerprint(location: string): Promise<string> {
  if (ENGINE === 'sqlite') {
    return [location, `${location}-wal`, `${location}-shm`, `${location}-journal`].map((p) => (existsSync(p) ? createHash('sha256').update(readFileSync(p)).digest('hex') : '-')).join(' ');
  }
  return onStore(location, async (s) => {
    const hash = createHash('sha256');
    for (const t of tablesOf()) {
      const rows = (await s.sql.all(`SELECT * FROM "${t.name}"`)).map((r) => JSON.stringify(r)).sort();
      hash.update(`${t.name}\n${rows.join('\n')}\n`);
    }
    return hash.digest('hex');
  });
}

describe('help, version and usage errors', () => {
  it('huxin --help and -h list every command in Chinese and exit 0; huxin alone prints it on stderr with exit 2', async () => {
    for (const flag of ['--help', '-h', 'help']) {
      const c = capture();
      expect(await main([flag], c.io)).toBe(0);
      expect(c.out()).toContain('用法: huxin <命令>');
      for (const name of ['import', 'report', 'recompute', 'serve', 'backup', 'restore', 'worker', 'token', 'case', 'blacklist']) expect(c.out()).toMatch(new RegExp(`^  ${name} `, 'm'));
      expect(c.err()).toBe('');
    }
    const bare = capture();
    expect(await main([], bare.io)).toBe(2);
    expect(bare.err()).toContain('用法: huxin <命令>');
  });

  it('huxin help <command> [<subcommand>] is the same as --help on it', async () => {
    for (const words of [['report'], ['case', 'pack']]) {
      const a = capture();
      const b = capture();
      expect(await main(['help', ...words], a.io)).toBe(0);
      expect(await main([...words, '--help'], b.io)).toBe(0);
      expect(a.out()).toBe(b.out());
      expect(a.out()).toContain(`用法: huxin ${words.join(' ')}`);
    }
  });

  it('huxin --version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const c = capture();
      expect(await main([flag], c.io)).toBe(0);
      expect(c.out()).toBe(`huxin ${version}\n`);
    }
  });

  it('huxin recompute --help prints its usage, exits 0 and leaves the database byte-identical', async () => {
    const before = await fingerprint(db);
    const r = await run('recompute', '--as-of', '2026-11-29', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('用法: huxin recompute');
    expect(r.out).toContain('--as-of YYYY-MM-DD');
    expect(r.out).not.toContain('已计算');
    expect(await fingerprint(db)).toBe(before);
  });

  it('every command and subcommand answers --help without opening a database (none is created)', async () => {
    const none = join(dir, 'never-created.db');
    const words = [['import'], ['report'], ['recompute'], ['serve'], ['nightly'], ['backup'], ['restore'], ['worker'], ['worker', 'export'], ['worker', 'erase'], ['token'], ['token', 'create'], ['case'], ['case', 'pack'], ['case', 'transition'], ['blacklist'], ['blacklist', 'changes']];
    for (const w of words) {
      const c = capture();
      expect(await main([...w, '--help', '--db', none], c.io), w.join(' ')).toBe(0);
      expect(c.out(), w.join(' ')).toContain(`用法: huxin ${w.join(' ')}`);
    }
    expect(existsSync(none)).toBe(false);
  });

  it('a mistyped option exits 2 with one Chinese line naming it (and the option meant), and changes nothing', async () => {
    const before = await fingerprint(db);
    const r = await run('report', '--asof', '2026-11-28');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain('未知选项 --asof');
    expect(r.err).toContain('--as-of');
    expect(await fingerprint(db)).toBe(before);
  });

  it('a missing value, a value given to a flag, a missing or extra argument and an unknown subcommand each exit 2 with one line', async () => {
    const cases: [string[], string][] = [
      [['recompute', '--as-of'], '选项 --as-of 缺少取值'],
      [['report', '--as-of', '--format', 'json'], '选项 --as-of 缺少取值'],
      [['backup', join(dir, 'b.db'), '--force=yes'], '选项 --force 不带取值'],
      [['import', 'payroll'], '缺少参数 <文件>'],
      [['import', 'payroll', 'a.csv', 'b.csv'], '多余的参数“b.csv”'],
      [['case', 'frobnicate'], '未知子命令“frobnicate”'],
      [['case', 'list', '--full'], '未知选项 --full'],
      [['worker'], '缺少子命令'],
    ];
    const before = await fingerprint(db);
    for (const [argv, says] of cases) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err.trim().split('\n'), argv.join(' ')).toHaveLength(1);
      expect(r.err, argv.join(' ')).toContain(says);
    }
    expect(await fingerprint(db)).toBe(before);
  });
});

describe('the command specs', () => {
  it('declare every option each command reads (an option missing from src/cli/commands.ts would be refused as unknown)', () => {
    // which commands each file's code runs for
    const FILE_COMMANDS: Record<string, string[]> = {
      'import.ts': ['import'],
      'report.ts': ['report', 'nightly'],
      'recompute.ts': ['recompute'],
      'params.ts': ['params'],
      'serve.ts': ['serve'],
      'backup.ts': ['backup', 'restore'],
      'worker.ts': ['worker'],
      'nightWorker.ts': ['worker'],
      'enforcement.ts': ['case', 'blacklist'],
      'notices.ts': ['notices'],
    };
    const optionsOf = (spec: CommandSpec): string[] => [...Object.keys(spec.options ?? {}), ...Object.values(spec.subcommands ?? {}).flatMap(optionsOf)];
    let reads = 0;
    for (const file of readdirSync('src/cli').filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join('src/cli', file), 'utf8');
      const read = [...text.matchAll(/(?:stringOption\(args, |dateOption\(args, |args\.options\.(?:get|has)\()'([a-z][a-z-]*)'/g)].map((m) => m[1]!);
      if (read.length === 0) continue;
      reads += read.length;
      const commands = FILE_COMMANDS[file];
      expect(commands, `src/cli/${file} reads options: map it to its commands here and declare them in commands.ts`).toBeDefined();
      const declared = new Set(['db', 'help', ...commands!.flatMap((c) => optionsOf(COMMAND_SPECS[c]!))]);
      expect(read.filter((name) => !declared.has(name)), `src/cli/${file}`).toEqual([]);
    }
    expect(reads).toBeGreaterThan(10);
  });
});

describe('bin/huxin.mjs', () => {
  it('runs the compiled build: --version, and a report from the database', () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const env = { ...process.env, HUXIN_FROM_SOURCE: '' };
    expect(execFileSync(process.execPath, ['bin/huxin.mjs', '--version'], { encoding: 'utf8', env })).toBe(`huxin ${version}\n`);
    const report = JSON.parse(execFileSync(process.execPath, ['bin/huxin.mjs', 'report', '--as-of', '2026-11-28', '--db', db], { encoding: 'utf8', env })) as { asOf: string; projects: unknown[] };
    expect(report.asOf).toBe('2026-11-28');
    expect(report.projects.length).toBeGreaterThan(0);
  });

  it('serves from the compiled build: migrations, the demo city and the pages\' assets are found from dist/', async () => {
    // an empty database of the test's engine: the build migrates it and loads the demo city into it
    const served = await freshLocation();
    const child = spawn(process.execPath, ['bin/huxin.mjs', 'serve', '--db', served.location], {
      env: { ...process.env, HUXIN_FROM_SOURCE: '', HOST: '127.0.0.1', PORT: '0', HUXIN_REPORTS_DIR: join(dir, 'reports'), HUXIN_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      const url = await new Promise<string>((done, fail) => {
        child.stdout.setEncoding('utf8').on('data', (c: string) => {
          out += c;
          const m = /已启动: (http:\/\/\S+)/.exec(out);
          if (m) done(m[1]!);
        });
        child.on('exit', (code) => fail(new Error(`serve exited ${code}: ${out}`)));
      });
      expect(out).toContain('已载入演示城市');
      const css = await fetch(`${url}/assets/app.css`);
      expect(css.status).toBe(200);
      expect((await css.text()).length).toBeGreaterThan(100);
      expect((await fetch(`${url}/health`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await new Promise((done) => (child.exitCode !== null ? done(null) : child.once('exit', done)));
      await served.drop();
    }
  });

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
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});
