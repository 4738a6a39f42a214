import { basename } from 'node:path';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { importFile } from '../imports/service.ts';
import { IMPORT_KINDS, isImportKind, type ImportOutcome } from '../imports/types.ts';
import { openStore } from '../store/open.ts';
import { CliError, type ParsedArgs } from './args.ts';

export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** Who runs a CLI command: recorded as the actor of every write it makes. */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

/**
 * `huxin import <kind> <file>` — prints a one-line summary, or every problem of a rejected file.
 * `location`: the database (a file path or a postgres:// URL, as --db and HUXIN_DB take).
 */
export async function importCommand(args: ParsedArgs, location: string, io: CliIo, now: string): Promise<number> {
  const [kind, file] = args.positionals;
  if (!kind || !file) throw new CliError(`用法: huxin import <${IMPORT_KINDS.join('|')}> <文件>`);
  if (!isImportKind(kind)) throw new CliError(`未知的导入类型“${kind}”，可选: ${IMPORT_KINDS.join(', ')}`);
  if (!existsSync(file)) throw new CliError(`找不到文件: ${file}`, 1);
  const store = await openStore(location);
  try {
    const outcome = await importFile(store, {
      kind,
      fileName: basename(file),
      source: { path: file },
      actor: cliActor(),
      now,
    });
    return printOutcome(outcome, io);
  } finally {
    await store.close();
  }
}

export function printOutcome(outcome: ImportOutcome, io: CliIo): number {
  switch (outcome.status) {
    case 'imported':
    case 'duplicate': {
      const b = outcome.batch;
      const what = outcome.status === 'duplicate' ? 'duplicate: 该文件此前已导入，未做任何改动' : 'imported';
      io.stdout.write(
        `batch ${b.id} ${b.kind} ${b.fileName}: ${b.rowCount} rows, ${b.inserted} inserted, ${b.replaced} replaced — ${what}\n`,
      );
      if (outcome.status === 'imported') for (const w of b.warnings) io.stdout.write(`warning: ${w}\n`);
      return 0;
    }
    case 'rejected': {
      io.stderr.write(`文件被拒绝，未写入任何数据（共 ${outcome.problems.length} 处问题）:\n`);
      for (const p of outcome.problems) {
        const where = p.column ? `line ${p.line}, column ${p.column}` : `line ${p.line}`;
        io.stderr.write(`${where}: ${p.reason}\n`);
      }
      for (const w of outcome.warnings) io.stderr.write(`warning: ${w}\n`);
      return 1;
    }
  }
}
