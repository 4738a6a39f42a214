/**
 * 评估线程 — a worker thread sharing a SQLite night's chunks with the night's main thread (threads.ts): its
 * own Store on the same file, its own snapshot, the chunks the shared counter hands it, each staged in a
 * small write transaction of its own (stage.ts workChunksInOrder). It says `done` or `error` and ends.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../../store/open.ts';
import { WORKER_ID, workChunksInOrder, type ChunkContext } from './stage.ts';
import { paramsFromThread, type ThreadData, type ThreadMessage } from './threads.ts';

const data = workerData as ThreadData;
const say = (m: ThreadMessage) => parentPort!.postMessage(m);

try {
  const params = paramsFromThread(data.params, data.paramsDigest);
  const store = await openStore(data.location);
  try {
    const next = new Int32Array(data.counter);
    const fault = data.fault;
    let staged = 0;
    const ctx: ChunkContext = {
      night: data.night,
      params,
      paramDates: data.paramDates,
      now: data.now !== null ? () => data.now! : () => new Date().toISOString(),
      worker: `${WORKER_ID}#${data.index}`,
      ...(fault?.how === 'throw' ? { onClaim: (c) => { if (staged >= fault.afterChunks) throw new Error(`注入的故障（第 ${c.chunkNo + 1} 块）`); } } satisfies Partial<ChunkContext> : {}),
      beforeCommit: () => {
        // the thread ends with the chunk's write transaction open: its connection goes, the transaction with it
        if (fault?.how === 'exit' && staged >= fault.afterChunks) process.exit(3);
        staged++;
      },
    };
    const chunks = await store.snapshot((s) => workChunksInOrder(store, s, ctx, () => data.pending[Atomics.add(next, 0, 1)]));
    say({ type: 'done', chunks });
  } finally {
    await store.close();
  }
} catch (e) {
  say({ type: 'error', message: e instanceof Error ? e.message : String(e) });
}
