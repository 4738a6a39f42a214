/**
 * `huxin db copy <来源>` — every table of the database at <来源> (a SQLite file or a postgres:// URL) copied
 * into the database of --db, which must be empty: a city's file moved onto its province's PostgreSQL, or a
 * province's database taken into a file. Ids are kept (evidence references name them); one transaction on
 * the target, so a failed copy leaves it empty (src/store/copy.ts). Both are brought to this version first.
 */
import { existsSync } from 'node:fs';
import type { CommandContext } from '../cli.ts';
import { copyDatabase } from '../store/copy.ts';
import { isPostgresUrl, openStore } from '../store/open.ts';
import { CliError, type ParsedArgs } from './args.ts';

const USAGE = '用法: huxin db copy <来源数据库文件或 postgres:// 地址> --db <目标>';

export async function dbCommand(args: ParsedArgs, ctx: CommandContext): Promise<number> {
  const [sub, from] = args.positionals;
  if (sub !== 'copy' || !from) throw new CliError(USAGE);
  if (from === ctx.location) throw new CliError('来源与目标是同一个数据库', 1);
  if (!isPostgresUrl(from) && !existsSync(from)) throw new CliError(`找不到来源数据库: ${from}`, 1);
  const source = await openStore(from);
  try {
    const target = await ctx.store();
    const t0 = performance.now();
    const r = await copyDatabase(source, target);
    ctx.io.stdout.write(`已复制 ${r.tables} 张表共 ${r.rows} 行：${source.location} → ${target.location}，${(performance.now() - t0).toFixed(0)} 毫秒\n`);
    return 0;
  } catch (e) {
    if (e instanceof Error && e.message.startsWith('目标数据库不是空的')) throw new CliError(`复制失败: ${e.message}（目标须为空数据库）`, 1);
    throw e;
  } finally {
    await source.close();
  }
}
