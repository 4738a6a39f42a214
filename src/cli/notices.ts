/**
 * `huxin notices send [--limit N]` — deliver the due notices (README “通知”);
 * `huxin notices list [--state S] [--project CODE] [--limit N]` — the outbox, newest first;
 * `huxin notices contact <姓名> [--email E] [--phone P]` — where an inspector's notices go.
 */
import { parseEmail } from '../domain/email.ts';
import { parsePhone } from '../domain/phone.ts';
import { deliverDueNotices } from '../services/notices/deliver.ts';
import { CHANNEL_ZH, NOTICE_STATE_ZH, RECIPIENT_ROLE_ZH, TEMPLATE_ZH, type TemplateCode } from '../services/notices/templates.ts';
import { ConfigError, transportsFromEnv } from '../services/notices/transports.ts';
import { openStore } from '../store/open.ts';
import type { NoticeState } from '../store/repos/notices.ts';
import type { CommandContext } from '../cli.ts';
import { CliError, stringOption, type ParsedArgs } from './args.ts';

const STATES = ['pending', 'sent', 'failed', 'gave_up'] as const;

function countOption(args: ParsedArgs, name: string, fallback: number): number {
  const text = stringOption(args, name);
  if (text === undefined) return fallback;
  if (!/^\d{1,6}$/.test(text) || Number(text) < 1) throw new CliError(`--${name} 应为正整数，收到“${text}”`);
  return Number(text);
}

export async function noticesCommand(args: ParsedArgs, ctx: CommandContext): Promise<number> {
  const sub = args.positionals[0];
  const out = ctx.io.stdout;
  if (sub !== 'send' && sub !== 'list' && sub !== 'contact') throw new CliError('用法: huxin notices send|list|contact（huxin notices --help）');
  const limit = countOption(args, 'limit', sub === 'send' ? 500 : 50);
  let transports;
  if (sub === 'send') {
    try {
      transports = transportsFromEnv();
    } catch (e) {
      if (e instanceof ConfigError) throw new CliError(e.message, 1);
      throw e;
    }
  }
  const store = await openStore(ctx.location);
  try {
    if (sub === 'send') {
      const r = await deliverDueNotices(store, transports!, { now: ctx.now, limit });
      for (const t of transports!) t.close?.();
      out.write(`通知：尝试 ${r.attempted} 条，已发送 ${r.sent} 条，失败待重试 ${r.failed} 条，放弃 ${r.gaveUp} 条\n`);
      for (const c of r.unconfigured) ctx.io.stderr.write(`有${CHANNEL_ZH[c]}通知待发送，但未配置${c === 'email' ? '邮件服务器（HUXIN_SMTP_URL 与 HUXIN_SMTP_FROM）' : '短信网关（HUXIN_SMS_URL）'}\n`);
      return 0;
    }
    if (sub === 'list') {
      const state = stringOption(args, 'state');
      if (state !== undefined && !(STATES as readonly string[]).includes(state)) throw new CliError(`--state 应为 ${STATES.join('|')}，收到“${state}”`);
      const code = stringOption(args, 'project');
      const projectId = code === undefined ? undefined : await store.notices.projectIdByCode(code);
      if (code !== undefined && projectId === undefined) throw new CliError(`项目“${code}”不存在`, 3);
      const rows = await store.notices.page({ ...(state ? { state: state as NoticeState } : {}), ...(projectId !== undefined ? { projectId } : {}) }, limit, 0);
      for (const n of rows) {
        out.write(
          `#${n.id}\t${NOTICE_STATE_ZH[n.state] ?? n.state}\t${TEMPLATE_ZH[n.template as TemplateCode] ?? n.template}\t${n.project_code ?? '—'}\t` +
            `${RECIPIENT_ROLE_ZH[n.recipient_role] ?? n.recipient_role}${n.recipient_name ? ` ${n.recipient_name}` : ''}\t${CHANNEL_ZH[n.channel]} ${n.address}\t` +
            `已试${n.attempts}次${n.sent_at ? `\t发送于 ${n.sent_at}` : ''}${n.last_error && n.state !== 'sent' ? `\t${n.last_error}` : ''}\n`,
        );
      }
      if (rows.length === 0) out.write('发件箱中没有符合条件的通知\n');
      return 0;
    }
    // contact
    const name = args.positionals[1]?.trim();
    const emailText = stringOption(args, 'email');
    const phoneText = stringOption(args, 'phone');
    if (!name && emailText === undefined && phoneText === undefined) {
      for (const c of await store.notices.inspectorContacts()) out.write(`${c.name}\t${c.email ?? '—'}\t${c.phone ?? '—'}\t${c.updated_at}\n`);
      return 0;
    }
    if (!name) throw new CliError('缺少监察员姓名：huxin notices contact <姓名> --email … --phone …');
    if (emailText === undefined && phoneText === undefined) {
      const c = await store.notices.inspectorContact(name);
      out.write(c ? `${c.name}\t${c.email ?? '—'}\t${c.phone ?? '—'}\n` : `没有登记 ${name} 的联系方式\n`);
      return 0;
    }
    const email = emailText === undefined || emailText === '' ? null : parseEmail(emailText);
    const phone = phoneText === undefined || phoneText === '' ? null : parsePhone(phoneText);
    if (email && !email.ok) throw new CliError(email.reason);
    if (phone && !phone.ok) throw new CliError(phone.reason);
    await store.notices.setInspectorContact(name, email?.ok ? email.value : null, phone?.ok ? phone.value : null, ctx.now().toISOString());
    out.write(`已登记 ${name} 的通知联系方式：邮箱 ${email?.ok ? email.value : '—'}，手机 ${phone?.ok ? phone.value : '—'}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
