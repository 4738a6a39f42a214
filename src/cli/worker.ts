/**
 * `huxin worker export <idNumber> --out FILE [--reason TEXT]` — everything held about one worker, as JSON,
 * for a supervisor (docs/PRIVACY.md). The file holds full identity and card numbers: it is written with
 * mode 0600 and never printed to stdout unless `--out -` is given; the export is audited.
 *
 * `huxin worker erase <idNumber> [--reason TEXT --confirm]` — erases a worker's rows on the projects whose
 * retention term has passed (docs/PRIVACY.md §5). Without --confirm it only prints what would be erased and
 * what must be kept, and why; with it (and a reason: the decision's reference) it erases, audited.
 *
 * `huxin worker night [--once]` — a night worker on PostgreSQL (src/cli/nightWorker.ts).
 */
import { writePrivateFile } from '../services/privateFiles.ts';
import type { CommandContext } from '../cli.ts';
import { maskIdNumber } from '../domain/idNumber.ts';
import { shanghaiDateOf } from '../domain/date.ts';
import { eraseWorkerData, exportWorkerData, PersonalDataError, planErasure, type ErasurePlan } from '../services/personalData.ts';
import { CliError, stringOption, type ParsedArgs } from './args.ts';
import { cliActor } from './import.ts';

const USAGE =
  '用法: huxin worker export <身份证号> --out <文件|-> [--reason 原因]\n      huxin worker erase <身份证号> [--reason 决定文号 --confirm]\n      huxin worker night [--once] [--poll 秒]';

const counts = (rows: Readonly<Record<string, number>>) =>
  Object.entries(rows)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || '无';

function printPlan(plan: ErasurePlan, out: NodeJS.WritableStream): void {
  out.write(`${maskIdNumber(plan.idNumber)}，截至 ${plan.today}：\n`);
  if (plan.projects.length === 0) out.write('  没有任何项目上的数据\n');
  for (const p of plan.projects) out.write(`  ${p.eligible ? '可删除' : '须保留'}  ${p.code}：${counts(p.rows)} — ${p.reason}\n`);
  if (Object.keys(plan.kept).length > 0) out.write(`  不在本命令删除范围（登记册按其规定、执法档案、审计记录）：${counts(plan.kept)}\n`);
}

async function eraseCommand(idNumber: string, args: ParsedArgs, ctx: CommandContext): Promise<number> {
  const today = shanghaiDateOf(ctx.now());
  const confirm = args.options.has('confirm');
  const reason = stringOption(args, 'reason');
  try {
    if (!confirm) {
      printPlan(await planErasure(await ctx.store(), idNumber, today), ctx.io.stdout);
      ctx.io.stdout.write('未删除任何数据：确认删除请加 --reason <决定文号> --confirm\n');
      return 0;
    }
    if (!reason) throw new CliError('删除个人信息须注明决定依据：--reason <决定文号>');
    const result = await eraseWorkerData(await ctx.store(), { idNumber, actor: cliActor(), now: ctx.now().toISOString(), today, reason });
    printPlan(result, ctx.io.stdout);
    ctx.io.stdout.write(`erased ${maskIdNumber(result.idNumber)}: ${counts(result.erased)}${result.workerRemoved ? '; worker row removed' : ''}\n`);
    return 0;
  } catch (e) {
    if (e instanceof PersonalDataError) throw new CliError(e.message, 1);
    throw e;
  }
}

export async function workerCommand(args: ParsedArgs, ctx: CommandContext): Promise<number> {
  const [sub, idNumber] = args.positionals;
  if (sub === 'night') return (await import('./nightWorker.ts')).nightWorkerCommand(args, ctx);
  if (sub === 'erase' && idNumber) return eraseCommand(idNumber, args, ctx);
  if (sub !== 'export' || !idNumber) throw new CliError(USAGE);
  const out = stringOption(args, 'out');
  if (!out) throw new CliError(`${USAGE}\n导出文件含完整身份证号和银行卡号，请用 --out 指定文件（--out - 输出到标准输出）`);
  let result;
  try {
    result = await exportWorkerData(await ctx.store(), { idNumber, actor: cliActor(), now: ctx.now().toISOString(), reason: stringOption(args, 'reason') ?? null });
  } catch (e) {
    if (e instanceof PersonalDataError) throw new CliError(e.message, 1);
    throw e;
  }
  const json = `${JSON.stringify(result, null, 2)}\n`;
  if (out === '-') ctx.io.stdout.write(json);
  else {
    writePrivateFile(out, json);
    const tables = Object.entries(result.tables).map(([k, v]) => `${k} ${v.length}`).join(', ');
    ctx.io.stdout.write(`exported ${maskIdNumber(result.idNumber)}: ${result.rowCount} rows (${tables}) → ${out}\n`);
  }
  if (result.rowCount === 0) ctx.io.stderr.write(`没有找到身份证号 ${maskIdNumber(result.idNumber)} 的任何数据\n`);
  return 0;
}
