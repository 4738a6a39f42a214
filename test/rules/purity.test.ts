/**
 * The rules core is pure: facts + as-of date + parameters → findings. No storage, no network, no clock,
 * no randomness, no process state. This test reads every file under src/rules and fails on any of them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../src/rules');

const FORBIDDEN_IMPORTS: readonly [RegExp, string][] = [
  [/(^|\/)db(\/|$)/, 'the database layer (src/db)'],
  [/(^|\/)api(\/|$)/, 'the API layer (src/api)'],
  [/(^|\/)imports(\/|$)/, 'the importers (src/imports)'],
  [/(^|\/)jobs(\/|$)/, 'the jobs (src/jobs)'],
  [/^(node:)?(fs|fs\/promises|net|http|https|http2|dgram|dns|tls|child_process|worker_threads|cluster|process|os|readline)$/, 'a Node I/O or process module'],
  [/^(better-sqlite3|drizzle-orm|drizzle-orm\/.*|drizzle-kit|fastify|@fastify\/.*|node-cron|pino|csv-parse.*)$/, 'an I/O library'],
];

const FORBIDDEN_USAGES: readonly [RegExp, string][] = [
  [/\bDate\.now\s*\(/, 'Date.now() reads the clock'],
  [/\bnew\s+Date\s*\(\s*\)/, 'new Date() without arguments reads the clock'],
  [/\bnew\s+Date\b(?!\s*\()/, 'new Date without arguments reads the clock'],
  [/\bprocess\s*[.[]/, 'process state (env, argv, cwd …)'],
  [/\bMath\.random\s*\(/, 'Math.random()'],
  [/\bperformance\.now\s*\(/, 'performance.now() reads the clock'],
  [/\brequire\s*\(/, 'require() (dynamic loading)'],
  [/\bimport\s*\(/, 'dynamic import()'],
  [/\bfetch\s*\(/, 'fetch() (network)'],
];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : /\.(ts|mts|js|mjs)$/.test(name) ? [path] : [];
  });
}

/** Every problem in one file's text: forbidden import specifiers and forbidden usages, with line numbers. */
export function purityProblems(text: string): string[] {
  const problems: string[] = [];
  const lines = text.split('\n');
  const specifiers = /(?:\bfrom\s*|\bimport\s*)['"]([^'"]+)['"]/g;
  lines.forEach((line, i) => {
    for (const match of line.matchAll(specifiers)) {
      const spec = match[1]!;
      for (const [pattern, what] of FORBIDDEN_IMPORTS) {
        const path = spec.replace(/^(\.\.?\/)+/, '');
        if (pattern.test(spec) || (spec.startsWith('.') && pattern.test(path))) problems.push(`line ${i + 1}: imports ${spec} — ${what}`);
      }
    }
    for (const [pattern, what] of FORBIDDEN_USAGES) if (pattern.test(line)) problems.push(`line ${i + 1}: ${what}`);
  });
  return problems;
}

describe('the rules core is pure', () => {
  const files = filesUnder(ROOT);

  it('finds the rules files', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  // The one exception: params/shipped.ts reads the shipped parameter files (params/*.yaml) once, when the
  // program loads, before any rule runs. The rules stay functions of the parameter set they are given.
  const LOADER = join('params', 'shipped.ts');
  it.each(files.filter((f) => relative(ROOT, f) !== LOADER).map((f) => [relative(ROOT, f), f]))('%s imports no I/O and reads no clock', (_name, file) => {
    expect(purityProblems(readFileSync(file, 'utf8'))).toEqual([]);
  });

  it('params/shipped.ts reads files only (no database, network, clock or process state)', () => {
    const problems = purityProblems(readFileSync(join(ROOT, LOADER), 'utf8')).filter((p) => !/imports (node:fs|node:path|node:url) —/.test(p));
    expect(problems).toEqual([]);
  });

  it('the scanner itself catches each kind of impurity', () => {
    const bad = [
      "import { db } from '../db/open.ts';",
      "import { readFileSync } from 'node:fs';",
      "import Database from 'better-sqlite3';",
      "import { eq } from 'drizzle-orm';",
      "import { parse } from '../imports/payroll.ts';",
      'const t = Date.now();',
      'const today = new Date();',
      'const tz = process.env.TZ;',
      'const r = Math.random();',
    ];
    for (const line of bad) expect(purityProblems(line), line).not.toEqual([]);
    expect(purityProblems("import { addDays } from '../domain/date.ts';\nconst x = new Date(86400000 * n);")).toEqual([]);
  });
});
