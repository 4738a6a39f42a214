/**
 * `huxin case …` and `huxin blacklist …` — thin commands over the enforcement services (the same ones the API
 * uses). Personal numbers are masked in what they print unless `--full` is given on `case pack`, which is
 * then recorded in the audit log; every write names the OS user as its actor.
 */
import { writePrivateFile } from '../services/privateFiles.ts';
import { appendAudit } from '../api/audit.ts';
import { maskPersonalData } from '../api/masking.ts';
import { parseDate, shanghaiDateOf, type IsoDate } from '../domain/date.ts';
import { EnforcementError, judgeOf } from '../services/enforcement/common.ts';
import { caseView, caseViews, intakeCase, transitionCase } from '../services/enforcement/cases.ts';
import { buildEvidencePack, renderEvidencePackHtml } from '../services/enforcement/evidencePack.ts';
import { listingView, listingViews } from '../services/enforcement/blacklist.ts';
import { blacklistChanges, casesPastDeadline } from '../services/enforcement/reporting.ts';
import { enqueueCaseNotices } from '../services/notices/outbox.ts';
import { openStore } from '../store/open.ts';
import type { Store } from '../store/store.ts';
import type { CommandContext } from '../cli.ts';
import { CliError, stringOption, type ParsedArgs } from './args.ts';
import { cliActor } from './import.ts';

function dateOption(args: ParsedArgs, name: string, fallback?: IsoDate): IsoDate {
  const text = stringOption(args, name);
  if (text === undefined) {
    if (fallback) return fallback;
    throw new CliError(`缺少 --${name} YYYY-MM-DD`);
  }
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(text) ? parseDate(text) : null;
  if (!parsed || !parsed.ok) throw new CliError(`--${name} 应为 YYYY-MM-DD，收到“${text}”`);
  return parsed.value;
}

function idArg(args: ParsedArgs, what: string): number {
  const raw = args.positionals[1];
  if (!raw || !/^\d+$/.test(raw)) throw new CliError(`缺少${what}编号`);
  return Number(raw);
}

const masked = (v: unknown) => maskPersonalData(v).value;

async function wrap<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof EnforcementError) throw new CliError(`${e.message}`, e.status === 404 ? 3 : 1);
    throw e;
  }
}

/** Runs a command over the store of `--db` / HUXIN_DB (either engine), closed afterwards. */
async function withStore<T>(ctx: CommandContext, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(ctx.location);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export const CASE_USAGE = `  case intake --findings ID,ID… --reason R [--filed-on D]   登记案件（关联欠薪预警，自动分流）
  case list [--as-of D] [--stage S]          欠薪案件列表（阶段、金额、期限）
  case show <id> [--as-of D]                  一个案件（JSON，个人号码遮蔽）
  case transition <id> --to STAGE --reason R [--on D] [--performance-days N | --performance-due D]
                                              转入下一阶段（仅法定转换）；转入裁决/判决时可记录履行期间（申请执行期限自其最后一日起算）
  case overdue [--as-of D]                    超过法定期限的案件
  case pack <id> [--as-of D] [--format json|html] [--out PATH] [--full --reason R]   证据包（--full 显示完整号码，须说明原因，记审计）
`;
export const BLACKLIST_USAGE = `  blacklist list [--as-of D] | blacklist show <id> [--as-of D] | blacklist changes --from D --to D   失信名单
`;

export async function caseCommand(args: ParsedArgs, ctx: CommandContext): Promise<number> {
  const sub = args.positionals[0];
  const today = shanghaiDateOf(ctx.now());
  const asOf = dateOption(args, 'as-of', today);
  const out = ctx.io.stdout;
  return withStore(ctx, async (store) => {
    switch (sub) {
      case 'intake': {
        const ids = (stringOption(args, 'findings') ?? '').split(',').filter((x) => x.trim() !== '');
        if (ids.length === 0 || ids.some((x) => !/^\d+$/.test(x.trim()))) throw new CliError('需要 --findings 预警编号（逗号分隔）');
        const reason = stringOption(args, 'reason');
        if (!reason) throw new CliError('需要 --reason 理由');
        const filedOn = dateOption(args, 'filed-on', today);
        const id = await wrap(() => intakeCase(store, { findingIds: ids.map(Number), filedOn, reason }, { name: cliActor() }, ctx.now().toISOString()));
        const c = await wrap(() => caseView(store, id, filedOn));
        out.write(`案件 #${id} 已登记：${c.routing.sentence}\n`);
        // 通知: the contractor's labour-affairs officer and project manager (sent by `huxin notices send`)
        const queued = await enqueueCaseNotices(store, id, ctx.now().toISOString());
        if (queued.length) out.write(`已生成通知 ${queued.length} 条（huxin notices send 发送）\n`);
        return 0;
      }
      case 'list': {
        const stage = stringOption(args, 'stage');
        for (const c of await wrap(() => caseViews(store, stage ? { stage } : {}, asOf))) {
          const next = c.deadlines.map((d) => `${d.name} ${d.due ?? `不早于${d.notBefore}`}${d.past ? '（已逾期）' : ''}`).join('；') || '—';
          out.write(`#${c.id}\t${c.stageName}\t${c.title}\t主张${c.amounts.claimed}\t约定${c.amounts.agreed ?? '—'}\t已付${c.amounts.paidToWorkers}\t${next}\n`);
        }
        return 0;
      }
      case 'show':
        out.write(`${JSON.stringify(masked(await wrap(() => caseView(store, idArg(args, '案件'), asOf))), null, 2)}\n`);
        return 0;
      case 'transition': {
        const id = idArg(args, '案件');
        const to = stringOption(args, 'to');
        const reason = stringOption(args, 'reason');
        if (!to || !reason) throw new CliError('需要 --to STAGE 和 --reason 理由');
        const on = dateOption(args, 'on', today);
        const days = stringOption(args, 'performance-days');
        if (days !== undefined && !/^[1-9]\d{0,3}$/.test(days)) throw new CliError('--performance-days 必须是正整数（履行期间天数）');
        const due = stringOption(args, 'performance-due') === undefined ? undefined : dateOption(args, 'performance-due');
        const performance = { ...(days !== undefined ? { performanceDays: Number(days) } : {}), ...(due !== undefined ? { performanceDueOn: due } : {}) };
        await wrap(() => transitionCase(store, id, { to, on, reason, ...performance }, { name: cliActor() }, ctx.now().toISOString()));
        const c = await wrap(() => caseView(store, id, on));
        out.write(`案件 #${id} 已转入“${c.stageName}”（${on}）${c.deadlines.map((d) => `；${d.explanation}`).join('')}\n`);
        return 0;
      }
      case 'overdue':
        for (const c of await wrap(async () => casesPastDeadline(await judgeOf(store), asOf))) out.write(`#${c.caseId}\t${c.stageName}\t${c.deadline.name}\t届满${c.deadline.due}\t逾期${c.daysPast}天\t${c.title}\n`);
        return 0;
      case 'pack': {
        const id = idArg(args, '案件');
        const format = stringOption(args, 'format') ?? 'json';
        if (format !== 'json' && format !== 'html') throw new CliError('--format 只能是 json 或 html');
        const full = args.options.get('full') === true;
        const reason = stringOption(args, 'reason')?.trim() || null;
        // every full view is audited with its reason, on every surface (issue 15, finding 7)
        if (full && !reason) throw new CliError('--full 显示完整身份证号和银行卡号，须用 --reason 说明原因（记入审计日志）');
        const pack = await wrap(() => store.snapshot((s) => buildEvidencePack(s, id, asOf)));
        await appendAudit(store, { at: ctx.now().toISOString(), actor: cliActor(), action: full ? 'view_personal_data' : 'case_evidence_pack', entity: 'wage_case', entityId: id, reason, detail: { asOf, format, full, via: 'cli' } });
        const text = format === 'html' ? renderEvidencePackHtml(pack, full) : `${JSON.stringify(full ? pack : masked(pack), null, 2)}\n`;
        const path = stringOption(args, 'out');
        if (path) {
          // a pack names workers with their amounts (and, with --full, their numbers): the owner's alone
          writePrivateFile(path, text);
          out.write(`证据包已写入 ${path}（${pack.totals.workers}名工人，${pack.totals.workerMonths}个工人月，欠付${pack.totals.arrears}元）\n`);
        } else out.write(text);
        return 0;
      }
      default:
        throw new CliError(`用法 (usage):\n${CASE_USAGE}`);
    }
  });
}

export async function blacklistCommand(args: ParsedArgs, ctx: CommandContext): Promise<number> {
  const sub = args.positionals[0];
  const today = shanghaiDateOf(ctx.now());
  const out = ctx.io.stdout;
  return withStore(ctx, async (store) => {
    switch (sub) {
      case 'list': {
        const asOf = dateOption(args, 'as-of', today);
        for (const l of await wrap(() => listingViews(store, {}, asOf))) {
          out.write(`#${l.id}\t${l.status}\t${l.name}（${l.uscc}）\t${l.listedFrom ? `${l.listedFrom} 至 ${l.listedUntilExclusive}（不含）` : '—'}\t${l.onListAt ? '在名单上' : '不在名单上'}\n`);
        }
        return 0;
      }
      case 'show': {
        const asOf = dateOption(args, 'as-of', today);
        out.write(`${JSON.stringify(masked(await wrap(() => listingView(store, idArg(args, '名单程序'), asOf))), null, 2)}\n`);
        return 0;
      }
      case 'changes': {
        const from = dateOption(args, 'from');
        const to = dateOption(args, 'to');
        for (const c of await blacklistChanges(store, from, to)) out.write(`${c.on}\t${c.change}\t#${c.listingId}\t${c.name}（${c.uscc}）\t${c.actor ?? '系统'}\t${c.reason ?? ''}\n`);
        return 0;
      }
      default:
        throw new CliError(`用法 (usage):\n${BLACKLIST_USAGE}`);
    }
  });
}
