/**
 * 任务租约 — a lease that keeps two nightly runs from overlapping, in one process or many (one machine or
 * several over one PostgreSQL). Acquiring is atomic (store/repos/jobs.ts): of two processes racing for the
 * same name exactly one gets it. The holder renews it while it works; a holder that died stops renewing and
 * its lease can be taken over once it expires.
 */
import type { Store } from '../store/store.ts';
import type { LeaseHolder } from '../store/repos/jobs.ts';

export type { LeaseHolder };

const until = (now: Date, ttlMs: number) => new Date(now.getTime() + ttlMs).toISOString();

export function tryAcquireLease(store: Store, name: string, owner: string, now: Date, ttlMs: number): Promise<boolean> {
  return store.jobs.tryAcquire(name, owner, now.toISOString(), until(now, ttlMs));
}

/** Extends the lease; false when it is no longer ours (it expired and another run took it over). */
export function renewLease(store: Store, name: string, owner: string, now: Date, ttlMs: number): Promise<boolean> {
  return store.jobs.renew(name, owner, until(now, ttlMs));
}

export function releaseLease(store: Store, name: string, owner: string): Promise<void> {
  return store.jobs.release(name, owner);
}

export function currentLease(store: Store, name: string): Promise<LeaseHolder | undefined> {
  return store.jobs.lease(name);
}
