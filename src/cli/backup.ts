/**
 * `huxin backup <file> [--force]` — online backup of the database (--db) to <file>: SQLite's backup API for
 * a file, pg_dump for a postgres:// URL (services/backup.ts).
 * `huxin restore <file> [--force]` — checks <file> and restores it as the database (--db; SQLite; on
 * PostgreSQL it prints the pg_restore command an operator runs).
 */
import type { CommandContext } from '../cli.ts';
import { isPostgresUrl } from '../store/open.ts';
import { BackupError, backupDatabase, backupPostgres, restoreDatabase } from '../services/backup.ts';
import { CliError, type ParsedArgs } from './args.ts';

/** `<file>` and the `--force` flag (the parser has checked there is exactly one file) */
function fileAndForce(args: ParsedArgs, usage: string): { file: string; force: boolean } {
  if (args.positionals.length !== 1) throw new CliError(usage);
  return { file: args.positionals[0]!, force: args.options.get('force') === true };
}

function total(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

export async function backupCommand(args: ParsedArgs, ctx: CommandContext): Promise<number> {
  const { file, force } = fileAndForce(args, '用法: huxin backup <备份文件> [--force] [--db PATH]');
  try {
    if (isPostgresUrl(ctx.location)) {
      const r = await backupPostgres(ctx.location, file, { force });
      ctx.io.stdout.write(`已备份到 ${r.path}：pg_dump --format=custom（来源 ${r.source}），${r.bytes} 字节，${r.entries} 项，${r.ms.toFixed(0)} 毫秒（恢复：pg_restore，见 README）\n`);
      return 0;
    }
    const r = await backupDatabase(ctx.location, file, { force });
    ctx.io.stdout.write(
      `已备份到 ${r.path}：${r.bytes} 字节，${r.pages} 页，${Object.keys(r.rowCounts).length} 张表共 ${total(r.rowCounts)} 行，` +
        `完整性检查通过，${r.ms.toFixed(0)} 毫秒\n`,
    );
    return 0;
  } catch (e) {
    if (e instanceof BackupError) throw new CliError(`备份失败: ${e.message}`, 1);
    throw e;
  }
}

export async function restoreCommand(args: ParsedArgs, ctx: CommandContext): Promise<number> {
  const { file, force } = fileAndForce(args, '用法: huxin restore <备份文件> [--force] [--db PATH]');
  try {
    const r = await restoreDatabase(file, ctx.location, { force, now: ctx.now() });
    if (r.safetyCopy) ctx.io.stdout.write(`被替换的数据库已另存为 ${r.safetyCopy}\n`);
    ctx.io.stdout.write(
      `已将 ${file} 恢复到 ${r.target}：${Object.keys(r.rowCounts).length} 张表共 ${total(r.rowCounts)} 行，完整性检查通过\n`,
    );
    return 0;
  } catch (e) {
    if (e instanceof BackupError) throw new CliError(`恢复失败: ${e.message}`, 1);
    throw e;
  }
}
