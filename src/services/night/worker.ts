/**
 * 夜间工作进程 — `huxin worker night`: a process that shares PostgreSQL nights (docs/STORAGE.md "Nights
 * shared by many workers"). It claims chunks of the open night one at a time (stage.ts workOneChunk),
 * evaluates them with the parameters in force and stages their results; the coordinating recompute applies
 * the night when every chunk is done. Any number of them, on one machine or many, against one database.
 *
 * A worker evaluates a night only with the parameters the night was planned with (their digest): after a
 * `huxin params import` or with another release it leaves that night to processes that have them.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { RulesParams } from '../../rules/params/index.ts';
import type { ClaimedChunk, OpenNight } from '../../store/repos/nights.ts';
import type { Store } from '../../store/store.ts';
import { paramsOfStore } from '../params.ts';
import { paramsVersionOf } from '../recompute.ts';
import { parameterDates } from './nextChange.ts';
import { WORKER_ID, workOneChunk } from './stage.ts';

export interface WorkerOptions {
  /** return when nothing can be claimed (no open night, or its chunks all done or held); else wait for work */
  readonly once: boolean;
  /** how long to wait before looking again (ms) */
  readonly pollMs: number;
  readonly clock: () => string;
  readonly log: (line: string) => void;
  /** told when a chunk is claimed, before it is evaluated */
  readonly onClaim?: (night: OpenNight, c: ClaimedChunk) => Promise<void> | void;
  /** stop waiting (a signal) */
  readonly stopped?: () => boolean;
}

export class SqliteNightError extends Error {
  constructor() {
    super('SQLite 数据库的夜间评估在 huxin recompute / nightly 的进程内完成，不需要 worker；多个进程分担夜间评估需要 PostgreSQL（--db postgres://… 或 HUXIN_DB）');
    this.name = 'SqliteNightError';
  }
}

/** Works nights until told to stop (or, with `once`, until nothing can be claimed). */
export async function workNights(store: Store, o: WorkerOptions): Promise<{ chunks: number; projects: number }> {
  if (store.engine !== 'postgres') throw new SqliteNightError();
  let params: { params: RulesParams; version: string; dates: readonly string[] } | null = null;
  const paramsFor = async (night: OpenNight) => {
    // read again when the night's differ: a params import since this process started
    if (!params || params.version !== night.paramsVersion) {
      const p = await paramsOfStore(store);
      params = { params: p, version: paramsVersionOf(p), dates: parameterDates(p) };
    }
    return params.version === night.paramsVersion ? params : null;
  };
  let chunks = 0;
  let projects = 0;
  let refused: number | null = null;
  for (;;) {
    if (o.stopped?.()) break;
    const night = await store.nights.open();
    let claimed: ClaimedChunk | null = null;
    if (night) {
      const p = await paramsFor(night);
      if (!p) {
        if (refused !== night.id) o.log(`夜间评估 ${night.asOf}（#${night.id}）的参数版本与本进程不同，留给参数相同的进程`);
        refused = night.id;
      } else {
        claimed = await workOneChunk(store, {
          night,
          params: p.params,
          paramDates: p.dates,
          now: o.clock,
          worker: WORKER_ID,
          onClaim: (c) => o.onClaim?.(night, c),
        });
        if (claimed) {
          chunks++;
          projects += claimed.ids.length;
          o.log(`夜间评估 ${night.asOf}（#${night.id}）第 ${claimed.chunkNo + 1}/${night.chunkCount} 块完成：${claimed.ids.length} 个项目`);
          continue;
        }
      }
    }
    if (o.once) break;
    await sleep(o.pollMs);
  }
  return { chunks, projects };
}
