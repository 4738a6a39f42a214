/**
 * 随程序发布的参数 — the parameter files shipped in `params/` at the repository root, read once when the
 * program starts. This is the rules core's one read of the file system, and it happens at load time, before
 * any rule runs: the rules stay functions of the set they are given. A file that does not validate stops
 * the start, with the file, the line and the reason (ParamFileError).
 *
 * The bureau's own imports (database) are laid over these by services/params.ts.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildParams, type ParamSet } from './build.ts';
import type { RulesParams } from './schema.ts';
import { parseParamFile, ParamFileError, type Doc, type ParamFileProblem } from './files.ts';

/** The `params/` directory: the first one found walking up from this module (source tree or a build). */
export function shippedParamsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'params');
    if (existsSync(join(candidate, 'holidays')) && statSync(candidate).isDirectory()) return candidate;
    dir = resolve(dir, '..');
  }
  throw new Error('找不到参数目录 params/（应与 package.json 同级）');
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else if (/\.(ya?ml|json)$/i.test(name)) out.push(path);
  }
  return out;
}

/** Reads and checks every file of a parameter directory; every problem of every file in one error. */
export function readParamDir(dir: string): Doc[] {
  const docs: Doc[] = [];
  const problems: ParamFileProblem[] = [];
  const root = resolve(dir, '..');
  for (const path of filesUnder(dir)) {
    const name = relative(root, path);
    try {
      docs.push(...parseParamFile(readFileSync(path, 'utf8'), name, 'shipped'));
    } catch (e) {
      if (e instanceof ParamFileError) problems.push(...e.problems);
      else throw e;
    }
  }
  if (problems.length > 0) throw new ParamFileError(problems);
  return docs;
}

/** The shipped documents (kept for laying imports over them). */
export const SHIPPED_DOCS: readonly Doc[] = readParamDir(shippedParamsDir());

/** The shipped set: the parameters the rules run with when the bureau has imported nothing. */
export const SHIPPED: ParamSet = buildParams(SHIPPED_DOCS);

/** 规则参数（随程序发布）— the shipped parameter set: the default of every rule. */
export const DEFAULT_PARAMS: RulesParams = SHIPPED.params;
