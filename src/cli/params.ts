/**
 * `huxin params import <file>` and `huxin params list [--as-of D] [--json]` — the bureau's dated legal
 * parameters (services/params.ts). An import that does not validate prints every problem as
 * `文件 第N行: reason` and exits 1, writing nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { ParamFileError } from '../rules/params/index.ts';
import { importParams, listParams } from '../services/params.ts';
import { CliError, stringOption, type ParsedArgs } from './args.ts';
import { cliActor } from './import.ts';
import { asOfOption } from './recompute.ts';
import type { CommandContext } from '../cli.ts';
import { addDays } from '../domain/date.ts';

export const PARAMS_USAGE = `  params import <file>                       导入法定参数或放假安排（YAML/JSON，校验、注明出处、审计）
  params list [--as-of YYYY-MM-DD] [--json]  列出某日生效的每个参数及其出处
`;

export async function paramsCommand(args: ParsedArgs, ctx: CommandContext): Promise<number> {
  const [sub, file] = args.positionals;
  if (sub === 'import') {
    if (!file) throw new CliError('用法: huxin params import <文件>');
    if (!existsSync(file)) throw new CliError(`找不到文件: ${file}`, 1);
    try {
      const r = await importParams(await ctx.store(), { text: readFileSync(file, 'utf8'), fileName: basename(file), actor: cliActor(), now: ctx.now().toISOString() });
      ctx.io.stdout.write(`params import #${r.importId} ${r.fileName}: ${r.values.length} 个参数取值, ${r.holidayYears.length} 个年度放假安排 — imported（下次重算生效）\n`);
      for (const v of r.values) ctx.io.stdout.write(`  ${v.parameter}（${v.label}）自 ${v.from}${v.to ? ` 至 ${v.to}` : ''}${v.verified ? '' : ' [未核对]'}\n`);
      for (const y of r.holidayYears) ctx.io.stdout.write(`  ${y}年全国年节放假安排\n`);
      return 0;
    } catch (e) {
      if (!(e instanceof ParamFileError)) throw e;
      ctx.io.stderr.write(`参数文件被拒绝，未写入任何数据（共 ${e.problems.length} 处问题）:\n`);
      for (const p of e.problems) ctx.io.stderr.write(`${p.file} 第${p.line}行: ${p.reason}\n`);
      return 1;
    }
  }
  if (sub === 'list') {
    // default: today (Asia/Shanghai) — the values in force now; asOfOption's default is yesterday
    const asOf = stringOption(args, 'as-of') === undefined ? addDays(asOfOption(args, ctx.now()), 1) : asOfOption(args, ctx.now());
    const listing = await listParams(await ctx.store(), asOf);
    if (args.options.has('json')) {
      ctx.io.stdout.write(`${JSON.stringify(listing, null, 2)}\n`);
      return 0;
    }
    const out = ctx.io.stdout;
    out.write(`${asOf} 生效的法定参数（${listing.params.length} 个）:\n`);
    for (const p of listing.params) {
      const src = p.source ? `${p.source.document}${p.source.article ? ` ${p.source.article}` : ''}${p.source.localSetting ? '（地方设置）' : ''}${p.source.verified ? '' : ' [未核对]'}` : '';
      out.write(`${p.parameter}\t${p.label}\t${p.value === null && p.from === null ? '（该日无取值）' : JSON.stringify(p.value)}\t${p.unit}\t自 ${p.from ?? '—'}\t${src}\t${p.origin ?? ''}\n`);
    }
    out.write(`全国年节放假安排:\n`);
    for (const h of listing.holidays) out.write(`${h.year}年\t${h.source.document}${h.source.verified ? '' : ' [未核对]'}\t${h.origin}\n`);
    for (const m of listing.missingHolidayYears) out.write(`警告: ${m.message}\n`);
    return 0;
  }
  throw new CliError(`用法:\n${PARAMS_USAGE}`);
}
