/**
 * 通知投递 — one delivery run over the outbox: every due notice (pending, or failed and its next attempt
 * reached) of a configured channel gets one attempt. Sent → `sent`; failed → `failed` with the error and the
 * next attempt after a backoff (1 min, 5 min, 30 min, 2 h by default, the last repeating); the attempt that
 * reaches the maximum (5 by default) → `gave_up`. Runs from `huxin notices send`, the nightly job and the
 * server's schedule (HUXIN_NOTICES_CRON); each attempt is awaited network I/O, so the event loop stays free.
 *
 * Two senders at once (the schedule and the CLI) never send the same notice twice in the same attempt: a
 * notice is claimed first (its next attempt moved past the run), and only the claimer sends it.
 */
import type { Store } from '../../store/store.ts';
import type { NoticeChannel } from '../../store/repos/notices.ts';
import type { Transport } from './transports.ts';

export interface DeliveryOptions {
  readonly now?: () => Date;
  /** attempts before giving up (default HUXIN_NOTICE_MAX_ATTEMPTS, else 5) */
  readonly maxAttempts?: number;
  /** delay after failed attempt 1, 2, … in ms (default HUXIN_NOTICE_BACKOFF seconds, else 60,300,1800,7200) */
  readonly backoffMs?: readonly number[];
  /** notices attempted in this run at most (default 500) */
  readonly limit?: number;
  /** how long a claim holds a notice while it is being sent (default 10 min) */
  readonly claimMs?: number;
  readonly signal?: AbortSignal;
}

export interface DeliveryResult {
  readonly attempted: number;
  readonly sent: number;
  readonly failed: number;
  readonly gaveUp: number;
  /** channels with notices but no transport configured */
  readonly unconfigured: readonly NoticeChannel[];
}

export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_BACKOFF_MS = [60_000, 300_000, 1_800_000, 7_200_000] as const;

/** The delivery settings from the environment (invalid values are an error, not silently replaced). */
export function deliverySettingsFromEnv(env: NodeJS.ProcessEnv = process.env): { maxAttempts: number; backoffMs: number[] } {
  const max = env.HUXIN_NOTICE_MAX_ATTEMPTS?.trim();
  const maxAttempts = max ? Number(max) : DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 100) throw new Error(`HUXIN_NOTICE_MAX_ATTEMPTS“${max}”应为 1–100 的整数`);
  const back = env.HUXIN_NOTICE_BACKOFF?.trim();
  const backoffMs = back ? back.split(',').map((s) => Number(s.trim()) * 1000) : [...DEFAULT_BACKOFF_MS];
  if (backoffMs.some((ms) => !Number.isFinite(ms) || ms < 0)) throw new Error(`HUXIN_NOTICE_BACKOFF“${back}”应为逗号分隔的秒数，例如 60,300,1800`);
  return { maxAttempts, backoffMs };
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export async function deliverDueNotices(store: Store, transports: readonly Transport[], options: DeliveryOptions = {}): Promise<DeliveryResult> {
  const now = options.now ?? (() => new Date());
  const settings = options.maxAttempts === undefined || options.backoffMs === undefined ? deliverySettingsFromEnv() : null;
  const maxAttempts = options.maxAttempts ?? settings!.maxAttempts;
  const backoff = options.backoffMs ?? settings!.backoffMs;
  const limit = options.limit ?? 500;
  const claimMs = options.claimMs ?? 600_000;
  const byChannel = new Map(transports.map((t) => [t.channel, t]));
  const channels = [...byChannel.keys()];
  let attempted = 0;
  let sent = 0;
  let failed = 0;
  let gaveUp = 0;
  const tried = new Set<number>();
  while (attempted < limit && !options.signal?.aborted) {
    const at = now().toISOString();
    const due = (await store.notices.due(at, Math.min(100, limit - attempted), channels)).filter((n) => !tried.has(n.id));
    if (due.length === 0) break;
    for (const n of due) {
      if (options.signal?.aborted || attempted >= limit) break;
      tried.add(n.id);
      const t0 = now();
      if (!(await store.notices.claim(n.id, n.next_attempt_at!, n.attempts, new Date(t0.getTime() + claimMs).toISOString()))) continue;
      attempted++;
      const attempt = n.attempts + 1;
      try {
        await byChannel.get(n.channel)!.send({ address: n.address, subject: n.subject, body: n.body });
        await store.notices.markSent(n.id, attempt, now().toISOString());
        sent++;
      } catch (e) {
        const last = attempt >= maxAttempts;
        const delay = backoff.length === 0 ? 0 : backoff[Math.min(attempt - 1, backoff.length - 1)]!;
        await store.notices.markFailed(n.id, attempt, messageOf(e), last ? null : new Date(now().getTime() + delay).toISOString());
        if (last) gaveUp++;
        else failed++;
      }
    }
  }
  const counts = await store.notices.countsByChannelWaiting();
  const unconfigured = (['email', 'sms'] as const).filter((c) => !byChannel.has(c) && (counts[c] ?? 0) > 0);
  return { attempted, sent, failed, gaveUp, unconfigured };
}
