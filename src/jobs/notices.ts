/**
 * 通知投递任务 — inside `huxin serve`: delivers the due notices every few minutes (node-cron,
 * HUXIN_NOTICES_CRON, default every 5 minutes in Asia/Shanghai; `off` turns the schedule off) and after
 * each nightly cycle. One run at a time in this process; the outbox's claim keeps a concurrent
 * `huxin notices send` from sending the same notice twice. Sending is awaited network I/O (SMTP, HTTP), so
 * the server's event loop keeps answering requests.
 */
import cron, { type ScheduledTask } from 'node-cron';
import { deliverDueNotices, type DeliveryResult } from '../services/notices/deliver.ts';
import { transportsFromEnv, type Transport } from '../services/notices/transports.ts';
import { openStore } from '../store/open.ts';
import type { Store } from '../store/store.ts';
import type { JobLogger } from './nightly.ts';

export const DEFAULT_NOTICES_CRON = '*/5 * * * *';

export interface NoticeJob {
  /** one delivery run now (null when one is already running, or no channel is configured) */
  runNow(): Promise<DeliveryResult | null>;
  /** the schedule in use, or null when off */
  readonly cron: string | null;
  readonly channels: readonly string[];
  stop(): Promise<void>;
}

export function noticesCron(env: NodeJS.ProcessEnv = process.env): string | null {
  const v = env.HUXIN_NOTICES_CRON?.trim();
  if (v === 'off') return null;
  const expr = v && v !== '' ? v : DEFAULT_NOTICES_CRON;
  if (!cron.validate(expr)) throw new Error(`HUXIN_NOTICES_CRON 不是有效的 cron 表达式: “${expr}”（关闭请写 off）`);
  return expr;
}

export function startNoticeJob(options: { location: string; logger: JobLogger; env?: NodeJS.ProcessEnv; transports?: readonly Transport[]; now?: () => Date }): NoticeJob {
  const env = options.env ?? process.env;
  const transports = options.transports ?? transportsFromEnv(env);
  const expr = noticesCron(env);
  const stopping = new AbortController();
  let store: Store | null = null;
  let running: Promise<DeliveryResult | null> | null = null;

  const runNow = (): Promise<DeliveryResult | null> => {
    if (running || transports.length === 0 || stopping.signal.aborted) return Promise.resolve(null);
    running = (async () => {
      store ??= await openStore(options.location);
      const r = await deliverDueNotices(store, transports, { signal: stopping.signal, ...(options.now ? { now: options.now } : {}) });
      if (r.attempted > 0 || r.unconfigured.length > 0) options.logger.info({ job: 'notices', ...r }, 'notices: delivery run');
      return r;
    })()
      .catch((e: unknown) => {
        options.logger.error({ job: 'notices', err: e instanceof Error ? e.message : String(e) }, 'notices: delivery run failed');
        return null;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };

  const task: ScheduledTask | null = expr && transports.length > 0 ? cron.schedule(expr, () => void runNow(), { name: 'huxin-notices', timezone: 'Asia/Shanghai', noOverlap: true }) : null;
  options.logger.info({ job: 'notices', cron: task ? expr : null, channels: transports.map((t) => t.channel) }, transports.length ? 'notices: delivery scheduled' : 'notices: no transport configured (HUXIN_SMTP_URL, HUXIN_SMS_URL); notices stay pending');
  return {
    runNow,
    cron: task ? expr : null,
    channels: transports.map((t) => t.channel),
    async stop() {
      if (task) await task.destroy();
      stopping.abort();
      if (running) await running;
      for (const t of transports) t.close?.();
      if (store) await store.close();
    },
  };
}
