/**
 * `huxin worker export <idNumber> --out FILE [--reason TEXT]` — everything held about one worker, as JSON,
 * for a supervisor (docs/PRIVACY.md). The file holds full identity and card numbers: it is written with
 * mode 0600 and never printed to stdout unless `--out -` is given; the export is audited.
 */
import { writeFileSync } from 'node:fs';
import type { CommandContext } from '../cli.ts';
import { maskIdNumber } from '../domain/idNumber.ts';
import { exportWorkerData, PersonalDataError } from '../services/personalData.ts';
import { CliError, stringOption, type ParsedArgs } from './args.ts';
import { cliActor } from './import.ts';

const USAGE = '用法: huxin worker export <身份证号> --out <文件|-> [--reason 原因]';

export async function workerCommand(args: ParsedArgs, ctx: CommandContext): Promise<number> {
  const [sub, idNumber] = args.positionals;
  if (sub !== 'export' || !idNumber) throw new CliError(USAGE);
  const out = stringOption(args, 'out');
  if (!out) throw new CliError(`${USAGE}\n导出文件含完整身份证号和银行卡号，请用 --out 指定文件（--out - 输出到标准输出）`);
  let result;
  try {
    result = exportWorkerData(ctx.db(), { idNumber, actor: cliActor(), now: ctx.now().toISOString(), reason: stringOption(args, 'reason') ?? null });
  } catch (e) {
    if (e instanceof PersonalDataError) throw new CliError(e.message, 1);
    throw e;
  }
  const json = `${JSON.stringify(result, null, 2)}\n`;
  if (out === '-') ctx.io.stdout.write(json);
  else {
    writeFileSync(out, json, { mode: 0o600 });
    const counts = Object.entries(result.tables).map(([k, v]) => `${k} ${v.length}`).join(', ');
    ctx.io.stdout.write(`exported ${maskIdNumber(result.idNumber)}: ${result.rowCount} rows (${counts}) → ${out}\n`);
  }
  if (result.rowCount === 0) ctx.io.stderr.write(`没有找到身份证号 ${maskIdNumber(result.idNumber)} 的任何数据\n`);
  return 0;
}
