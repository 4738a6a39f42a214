import { addDays, shanghaiDateOf } from '../domain/date.ts';
import { resolve } from 'node:path';
import { startServer } from '../api/start.ts';
import { startNightlyJob } from '../jobs/nightly.ts';
import { startNoticeJob } from '../jobs/notices.ts';
import { isDatabaseEmpty, loadDemoCity } from '../services/demoCity.ts';
import { recompute } from '../services/recompute.ts';
import { openStore } from '../store/open.ts';
import type { ParsedArgs } from './args.ts';
import type { CommandContext } from '../cli.ts';

/**
 * `huxin serve` (what `npm start` runs): migrate the database (a SQLite file or a postgres:// URL), load the
 * demo city when it is empty and compute its findings as of yesterday, serve the API and pages on
 * HOST:PORT, and schedule the nightly report (catching up missed nights at once). Reports go to
 * HUXIN_REPORTS_DIR, else ./reports.
 */
export async function serveCommand(_args: ParsedArgs, ctx: CommandContext): Promise<number> {
  // the demo city before the server answers, so nobody sees a half-loaded city
  const setup = await openStore(ctx.location);
  try {
    if (await isDatabaseEmpty(setup)) {
      const now = ctx.now();
      const loaded = await loadDemoCity(setup, now.toISOString());
      const asOf = addDays(shanghaiDateOf(now), -1);
      const result = await recompute(setup, asOf, now.toISOString());
      ctx.io.stdout.write(
        `数据库为空，已载入演示城市（${loaded.map((l) => `${l.kind} ${l.rows}`).join('，')}），` +
          `按 ${asOf} 计算预警 ${result.findingCount} 条\n`,
      );
    }
  } finally {
    await setup.close();
  }
  // Behind an HTTPS reverse proxy set HUXIN_SECURE_COOKIES=1 so the pages' session cookie is Secure.
  const secureCookies = process.env.HUXIN_SECURE_COOKIES === '1';
  const server = await startServer({ location: ctx.location, handleSignals: false, server: { secureCookies } });
  const reportsDir = resolve(process.env.HUXIN_REPORTS_DIR && process.env.HUXIN_REPORTS_DIR.trim() !== '' ? process.env.HUXIN_REPORTS_DIR : 'reports');
  // 通知: delivered every few minutes (HUXIN_NOTICES_CRON) and after each night
  let notices;
  try {
    notices = startNoticeJob({ location: ctx.location, logger: server.app.log });
  } catch (e) {
    // a half-configured channel (e.g. HUXIN_SMTP_URL without HUXIN_SMTP_FROM) stops the start, loudly
    await server.close();
    throw e;
  }
  const job = startNightlyJob({ location: ctx.location, reportsDir, logger: server.app.log, deliverNotices: () => notices.runNow() });
  ctx.io.stdout.write(`护薪 Huxin 已启动: ${server.url}  (数据库 ${server.store.location}，夜间报告 ${job.cron} Asia/Shanghai → ${reportsDir})\n`);
  // Run until SIGINT/SIGTERM; then stop the schedule (and any running report child) before the server.
  await new Promise<void>((done) => {
    const stop = (signal: NodeJS.Signals) => {
      server.app.log.info({ signal }, 'shutting down');
      void job
        .stop()
        .catch(() => undefined)
        .then(() => notices.stop())
        .catch(() => undefined)
        .then(() => server.close())
        .then(done, done);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
