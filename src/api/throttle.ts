/**
 * 限流 — fixed-window counters in the server's memory, keyed by client address or token: the failed
 * authentications of one address, the requests of one token, the look-ups by full identity number of one
 * token. In memory on purpose: a restart forgets them, which only ever favours the legitimate caller.
 */
export class WindowCounter {
  private readonly entries = new Map<string, { count: number; resetAt: number }>();
  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** milliseconds until `key` may go on, or null when it is under its limit */
  blocked(key: string, nowMs: number): number | null {
    const e = this.entries.get(key);
    if (!e) return null;
    if (e.resetAt <= nowMs) {
      this.entries.delete(key);
      return null;
    }
    return e.count >= this.limit ? e.resetAt - nowMs : null;
  }

  /** counts one event of `key` */
  hit(key: string, nowMs: number): void {
    if (this.entries.size > 10_000) for (const [k, v] of this.entries) if (v.resetAt <= nowMs) this.entries.delete(k);
    const e = this.entries.get(key);
    if (!e || e.resetAt <= nowMs) this.entries.set(key, { count: 1, resetAt: nowMs + this.windowMs });
    else e.count++;
  }

  /** counts one event and answers whether it was over the limit (milliseconds to wait) */
  take(key: string, nowMs: number): number | null {
    const wait = this.blocked(key, nowMs);
    if (wait !== null) return wait;
    this.hit(key, nowMs);
    return null;
  }
}
