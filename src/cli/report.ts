/**
 * `huxin report` and `huxin nightly` — the nightly report on demand, and the job's child-process entry.
 *
 *   huxin report --as-of YYYY-MM-DD [--format json|csv|html|xlsx] [--out PATH]
 *     The night of D (what changed stored as state), the report read off it, stored (the `reports` row, like
 *     the nightly run), and printed: json (default) and html to --out FILE or stdout; csv needs --out DIR (one file per table,
 *     and report.xlsx beside them: the same tables as one workbook); xlsx needs --out FILE.
 *   huxin nightly --as-of YYYY-MM-DD [--reports-dir DIR]
 *     What the scheduler forks for each day: recompute, store, and write reports/YYYY-MM-DD/ atomically.
 *     Prints one JSON line with the timings.
 * Without --as-of, D is yesterday in Asia/Shanghai (the last complete day).
 */
import { resolve } from 'node:path';
import { addDays, parseDate, shanghaiDateOf, type IsoDate } from '../domain/date.ts';
import { renderCsv } from '../reports/csv.ts';
import { writeFileAtomically, writeFilesInto, XLSX_FILE } from '../reports/files.ts';
import { renderXlsx } from '../reports/xlsx.ts';
import { storeReport } from '../reports/generate.ts';
import { reportFromState } from '../reports/fromState.ts';
import { paramsOfStore } from '../services/params.ts';
import { recompute } from '../services/recompute.ts';
import { renderHtml } from '../reports/html.ts';
import { produceNightlyReport } from '../jobs/produce.ts';
import { CliError, stringOption, type ParsedArgs } from './args.ts';
import type { CommandContext } from '../cli.ts';

const FORMATS = ['json', 'csv', 'html', 'xlsx'] as const;
type Format = (typeof FORMATS)[number];

/** `--as-of YYYY-MM-DD`, else yesterday in Asia/Shanghai. */
export function reportDateOption(args: ParsedArgs, now: Date): IsoDate {
  const text = stringOption(args, 'as-of');
  if (text === undefined) {
    if (args.options.has('as-of')) throw new CliError('--as-of 需要一个日期 YYYY-MM-DD');
    return addDays(shanghaiDateOf(now), -1);
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) throw new CliError(`--as-of 应为 YYYY-MM-DD，收到“${text}”`);
  const parsed = parseDate(text);
  if (!parsed.ok) throw new CliError(`--as-of: ${parsed.reason}`);
  return parsed.value;
}

/** HUXIN_REPORTS_DIR, else ./reports */
export function defaultReportsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.HUXIN_REPORTS_DIR && env.HUXIN_REPORTS_DIR.trim() !== '' ? resolve(env.HUXIN_REPORTS_DIR) : resolve('reports');
}

export async function reportCommand(args: ParsedArgs, ctx: CommandContext): Promise<number> {
  const asOf = reportDateOption(args, ctx.now());
  const format = (stringOption(args, 'format') ?? 'json') as Format;
  if (!FORMATS.includes(format)) throw new CliError(`--format 可选 ${FORMATS.join('|')}，收到“${String(args.options.get('format'))}”`);
  const out = stringOption(args, 'out');
  if (args.options.has('out') && out === undefined) throw new CliError('--out 需要一个路径');
  if (format === 'csv' && !out) throw new CliError('--format csv 需要 --out 目录（每张表一个文件）');
  if (format === 'xlsx' && !out) throw new CliError('--format xlsx 需要 --out 文件（Excel 工作簿是二进制文件，不输出到终端）');

  const store = await ctx.store();
  const at = ctx.now().toISOString();
  // the same path as the nightly run: the night, then the report read off its stored state
  await recompute(store, asOf, at);
  const computed = await reportFromState(store, asOf, await paramsOfStore(store));
  await storeReport(store, { asOf, json: computed.json }, at);
  // every project of D that could not be evaluated, whichever night last evaluated it
  for (const p of computed.report.problems) ctx.io.stderr.write(`项目 ${p.projectCode} 无法计算，报告中数字为零: ${p.message}\n`);

  if (format === 'csv') {
    const files = renderCsv(computed.report);
    writeFilesInto(out!, [...files, { name: XLSX_FILE, content: await renderXlsx(computed.report) }]);
    ctx.io.stderr.write(`已写入 ${files.length} 个 CSV 文件和 ${XLSX_FILE} 到 ${out}: ${files.map((f) => f.name).join(', ')}\n`);
    return 0;
  }
  if (format === 'xlsx') {
    writeFileAtomically(out!, await renderXlsx(computed.report));
    ctx.io.stderr.write(`已写入 ${out}\n`);
    return 0;
  }
  const content = format === 'json' ? computed.json : renderHtml(computed.report);
  if (out) {
    writeFileAtomically(out, content);
    ctx.io.stderr.write(`已写入 ${out}\n`);
  } else {
    await new Promise<void>((done, fail) => ctx.io.stdout.write(content, (err) => (err ? fail(err) : done())));
  }
  return 0;
}

export async function nightlyCommand(args: ParsedArgs, ctx: CommandContext): Promise<number> {
  // Forked by the scheduler: when the parent goes away, stop (the transaction rolls back, temp files are
  // swept by the next run); when done, close the IPC channel, or it would keep this process alive.
  const onDisconnect = () => process.exit(1);
  if (process.send) process.once('disconnect', onDisconnect);
  try {
    const asOf = reportDateOption(args, ctx.now());
    const reportsDir = resolve(stringOption(args, 'reports-dir') ?? defaultReportsDir());
    const result = await produceNightlyReport({ store: await ctx.store(), asOf, reportsDir, now: ctx.now().toISOString() });
    const ms = Object.fromEntries(Object.entries(result.timings).map(([k, v]) => [k, Math.round(v)]));
    ctx.io.stdout.write(`${JSON.stringify({ ...result, timings: ms })}\n`);
    return 0;
  } finally {
    if (process.send) {
      process.off('disconnect', onDisconnect);
      if (process.connected) process.disconnect();
    }
  }
}
