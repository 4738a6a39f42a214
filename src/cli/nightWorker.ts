/**
 * `huxin worker night [--once] [--poll 秒]` — a night worker on PostgreSQL (docs/STORAGE.md "Nights shared
 * by many workers"): claims chunks of the open night, evaluates them and stages their results, until
 * stopped (SIGINT/SIGTERM: after the chunk in hand) or, with --once, until nothing can be claimed. Start as
 * many as the machines carry, against the database of `--db postgres://…` or HUXIN_DB; the nightly job (or
 * `huxin recompute`) plans the night, works too, and applies it when every chunk is done. On SQLite the
 * night stays in the recompute's own process: the command says so and exits.
 */
import type { CommandContext } from '../cli.ts';
import { openStore } from '../store/open.ts';
import { SqliteNightError, workNights } from '../services/night/worker.ts';
import { CliError, stringOption, type ParsedArgs } from './args.ts';

export async function nightWorkerCommand(args: ParsedArgs, ctx: CommandContext): Promise<number> {
  const pollText = stringOption(args, 'poll') ?? '2';
  const poll = Number(pollText);
  if (!Number.isFinite(poll) || poll <= 0) throw new CliError(`--poll 应为正数（秒），收到“${pollText}”`);
  const store = await openStore(ctx.location);
  let stop = false;
  const onSignal = () => {
    stop = true;
    ctx.io.stderr.write('收到停止信号：做完手上这一块后退出\n');
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const done = await workNights(store, {
      once: args.options.get('once') === true,
      pollMs: poll * 1000,
      clock: () => ctx.now().toISOString(),
      log: (line) => ctx.io.stdout.write(`${line}\n`),
      stopped: () => stop,
      onClaim: async (night, c) => {
        ctx.io.stdout.write(`夜间评估 ${night.asOf}（#${night.id}）第 ${c.chunkNo + 1}/${night.chunkCount} 块已认领\n`);
        // the kill test (test/services/night-workers.test.ts) kills a worker that holds a claim: it waits here
        if (process.env.HUXIN_WORKER_PAUSE_AFTER_CLAIM === '1') await new Promise(() => {});
      },
    });
    ctx.io.stdout.write(`本进程完成 ${done.chunks} 块，${done.projects} 个项目\n`);
    return 0;
  } catch (e) {
    if (e instanceof SqliteNightError) throw new CliError(e.message, 1);
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await store.close();
  }
}
