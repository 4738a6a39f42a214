/**
 * `huxin <command>` — the command line, thin over the same services the API uses.
 * Every command takes `--db PATH` (default HUXIN_DB, else ./data/huxin.db) and creates or migrates the
 * database when needed. Exit status 0 on success, non-zero on failure with the reason on stderr
 * (INTERFACES.md).
 */
import { defaultDbPath, openDatabase, type Db } from './db/open.ts';
import { CliError, parseArgs, stringOption, type ParsedArgs } from './cli/args.ts';
import { importCommand, type CliIo } from './cli/import.ts';
import { serveCommand } from './cli/serve.ts';
import { tokenCommand } from './cli/token.ts';
import { recomputeCommand } from './cli/recompute.ts';
import { backupCommand, restoreCommand } from './cli/backup.ts';
import { workerCommand } from './cli/worker.ts';
import { nightlyCommand, reportCommand } from './cli/report.ts';
import { BLACKLIST_USAGE, blacklistCommand, CASE_USAGE, caseCommand } from './cli/enforcement.ts';
import { PARAMS_USAGE, paramsCommand } from './cli/params.ts';

const USAGE = `用法 (usage): huxin <command> [--db PATH]
  import <kind> <file>                       导入文件 (projects|roster|payroll|payments|account_transactions|deposits|training|insurance|housing|care)
  report --as-of YYYY-MM-DD [--format json|csv|html] [--out PATH]   欠薪报告
  recompute --as-of YYYY-MM-DD               重算并保存预警
  serve                                      启动服务 (HOST, PORT)
  backup <file> [--force]                    在线备份数据库
  restore <file> [--force]                   检查备份并恢复为数据库
  worker export <idNumber> --out FILE        导出一名工人的全部个人信息（审计）
  worker erase <idNumber> [--reason R --confirm]  删除保存期已满项目上的个人信息（不加 --confirm 只列出）
  token create --role <role> --name <who> | token list | token revoke <id>
${PARAMS_USAGE}${CASE_USAGE}${BLACKLIST_USAGE}`;

type Command = (args: ParsedArgs, ctx: CommandContext) => Promise<number>;

export interface CommandContext {
  readonly io: CliIo;
  readonly dbPath: string;
  /** opened lazily: `serve` opens its own connections */
  db(): Db;
  /** the wall clock, read here at the edge and passed inward as data */
  now(): Date;
}

const COMMANDS: Record<string, Command> = {
  import: (args, ctx) => importCommand(args, ctx.db(), ctx.io, ctx.now().toISOString()),
  serve: serveCommand,
  recompute: recomputeCommand,
  backup: backupCommand,
  restore: restoreCommand,
  worker: workerCommand,
  report: reportCommand,
  nightly: nightlyCommand,
  case: caseCommand,
  blacklist: blacklistCommand,
  params: paramsCommand,
  token: (args, ctx) =>
    tokenCommand(args.raw, { db: ctx.db(), stdout: ctx.io.stdout, stderr: ctx.io.stderr, now: () => ctx.now().toISOString() }),
};

export function registerCommand(name: string, command: Command): void {
  COMMANDS[name] = command;
}

/** `now`: the clock (tests fix it; a command's "today" is its Asia/Shanghai date). */
export async function main(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }, now: () => Date = () => new Date()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === 'help') {
    io.stdout.write(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`未知命令 (unknown command): ${name}\n${USAGE}`);
    return 2;
  }
  const args = parseArgs(rest);
  const dbPath = stringOption(args, 'db') ?? defaultDbPath();
  let db: Db | undefined;
  const ctx: CommandContext = {
    io,
    dbPath,
    db: () => (db ??= openDatabase(dbPath)),
    now,
  };
  try {
    return await command(args, ctx);
  } catch (err) {
    if (err instanceof CliError) {
      io.stderr.write(`${err.message}\n`);
      return err.exitCode;
    }
    io.stderr.write(`错误 (error): ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    if (name !== 'serve') db?.$client.close();
  }
}
