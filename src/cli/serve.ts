import { addDays, shanghaiDateOf } from '../domain/date.ts';
import { startServer } from '../api/start.ts';
import { openDatabase } from '../db/open.ts';
import { isDatabaseEmpty, loadDemoCity } from '../services/demoCity.ts';
import { recomputeCity } from '../services/recompute.ts';
import type { ParsedArgs } from './args.ts';
import type { CommandContext } from '../cli.ts';

/**
 * `huxin serve` (what `npm start` runs): migrate the database, load the demo city when it is empty and
 * compute its findings as of yesterday, then serve the API and pages on HOST:PORT.
 */
export async function serveCommand(_args: ParsedArgs, ctx: CommandContext): Promise<number> {
  const setup = openDatabase(ctx.dbPath);
  try {
    if (isDatabaseEmpty(setup)) {
      const now = ctx.now();
      const loaded = await loadDemoCity(setup, now.toISOString());
      const asOf = addDays(shanghaiDateOf(now), -1);
      const result = recomputeCity(setup, asOf, now.toISOString());
      ctx.io.stdout.write(
        `数据库为空，已载入演示城市（${loaded.map((l) => `${l.kind} ${l.rows}`).join('，')}），` +
          `按 ${asOf} 计算预警 ${result.findingCount} 条\n`,
      );
    }
  } finally {
    setup.$client.close();
  }
  const server = await startServer({ dbPath: ctx.dbPath });
  ctx.io.stdout.write(`护薪 Huxin 已启动: ${server.url}  (数据库 ${ctx.dbPath})\n`);
  // Keep the process alive until a signal; startServer closes cleanly on SIGINT/SIGTERM.
  await new Promise<void>((resolve) => server.app.server.once('close', () => resolve()));
  return 0;
}
