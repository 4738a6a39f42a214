import { yuanText, type Fen } from '../domain/money.ts';
import { addDays, parseDate, shanghaiDateOf, type IsoDate } from '../domain/date.ts';
import { recompute } from '../services/recompute.ts';
import { CliError, stringOption, type ParsedArgs } from './args.ts';
import type { CommandContext } from '../cli.ts';

/** The `--as-of` date of a command, or yesterday in Asia/Shanghai (the last complete day). */
export function asOfOption(args: ParsedArgs, now: Date): IsoDate {
  const text = stringOption(args, 'as-of');
  if (text === undefined) return addDays(shanghaiDateOf(now), -1);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) throw new CliError(`--as-of 应为 YYYY-MM-DD，收到“${text}”`);
  const parsed = parseDate(text);
  if (!parsed.ok) throw new CliError(`--as-of: ${parsed.reason}`);
  return parsed.value;
}

/**
 * `huxin recompute [--as-of D] [--full]`: the night of D — the projects whose outcome can have changed
 * (`--full`: every project) evaluated, and what changed stored as state. On PostgreSQL any running
 * `huxin worker night` processes share the chunks; this process works too and applies the night.
 */
export async function recomputeCommand(args: ParsedArgs, ctx: CommandContext): Promise<number> {
  const asOf = asOfOption(args, ctx.now());
  const r = await recompute(await ctx.store(), asOf, ctx.now().toISOString(), undefined, { full: args.options.get('full') === true, clock: () => ctx.now().toISOString() });
  const mode = r.mode === 'full' ? '全部项目' : '增量';
  ctx.io.stdout.write(
    `已计算 ${asOf}：评估项目 ${r.evaluatedCount}/${r.projectCount}（${mode}），结果有变化 ${r.changedCount} 个，预警 ${r.findingCount} 条，` +
      `欠薪 ${yuanText(r.arrears as Fen)} 元 — 计划 ${r.timings.planMs.toFixed(0)} 毫秒，评估 ${r.timings.evaluateMs.toFixed(0)} 毫秒，写入 ${r.timings.writeMs.toFixed(0)} 毫秒\n`,
  );

  if (r.resumed) ctx.io.stdout.write(`（接续了中断的同一夜间评估 #${r.nightId}）\n`);
  if (r.workers.length > 1) for (const w of r.workers) ctx.io.stdout.write(`  ${w.worker}：${w.chunks} 块，${w.projects} 个项目\n`);
  // a worker thread that failed: the night is complete (the main thread evaluated what it left), said all the same
  for (const f of r.threadFailures) ctx.io.stderr.write(`${f}（它未完成的块已由主线程评估）\n`);
  for (const p of r.problems) ctx.io.stderr.write(`项目 ${p.projectCode} 无法计算: ${p.message}\n`);
  return r.problems.length > 0 ? 1 : 0;
}
