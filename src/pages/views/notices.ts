/** 通知发件箱 — the outbox page: each notice's state in Chinese, its recipient (address masked), attempts and error. */
import { NOTICE_STATE_ZH } from '../../services/notices/templates.ts';
import { timeZh } from '../format.ts';
import { html, type Html } from '../html.ts';

export interface NoticeItem {
  id: number;
  state: string;
  stateName: string;
  templateName: string;
  recipientRoleName: string;
  recipientName: string | null;
  channelName: string;
  address: string;
  subject: string;
  body: string;
  projectCode: string | null;
  orderId: number | null;
  caseId: number | null;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  sentAt: string | null;
  createdAt: string;
}

/** A transport's error in Chinese (the raw text stays in the API and `huxin notices list`). */
export function errorZh(error: string): string {
  if (/[\u4e00-\u9fff]/.test(error) && !/[A-Za-z]{4,}/.test(error.replace(/HTTP/g, ''))) return error;
  if (/ECONNREFUSED/.test(error)) return '无法连接到服务器（连接被拒绝）';
  if (/ETIMEDOUT|timeout|timed out|aborted/i.test(error)) return '连接或发送超时';
  if (/ENOTFOUND|EAI_AGAIN/.test(error)) return '找不到服务器（域名无法解析）';
  if (/EAUTH|auth/i.test(error)) return '邮件服务器认证失败';
  if (/ECONNRESET|socket/i.test(error)) return '连接被中断';
  const http = /HTTP (\d{3})/.exec(error);
  if (http) return `短信网关返回错误（状态码 ${http[1]}）`;
  if (/^5\d\d\b|rejected|Recipient/i.test(error)) return '收件服务器拒收';
  return '发送失败（详情见命令行 huxin notices list）';
}

const STATE_CLASS: Record<string, string> = { sent: 'paid', failed: 'paid_late', gave_up: 'unpaid', pending: 'outline' };

export function noticesPage(input: { items: NoticeItem[]; total: number; page: number; pageSize: number; state?: string; project?: string }): Html {
  const pages = Math.max(1, Math.ceil(input.total / input.pageSize));
  const link = (page: number) => `/notices?${new URLSearchParams({ ...(input.state ? { state: input.state } : {}), ...(input.project ? { project: input.project } : {}), page: String(page) }).toString()}`;
  return html`<h1>通知发件箱 <span class="muted small">共 ${input.total} 条</span></h1>
<p class="muted small">责令限期支付、案件登记、人工费用拨付不足、预警分派和工资支付表或发放记录逾期未报送（催报）时，系统向劳资专管员、项目经理、建设单位联系人和监察员发送邮件或短信；失败的按间隔自动重试，多次失败后放弃。收件地址已遮蔽。</p>
<section class="card no-print">
  <form class="filters" method="get" action="/notices">
    <label>状态<select name="state" data-autosubmit>
      ${[['', '全部'], ...Object.entries(NOTICE_STATE_ZH)].map(([v, t]) => html`<option value="${v}"${v === (input.state ?? '') ? html` selected` : ''}>${t}</option>`)}
    </select></label>
    <label>项目编号<input name="project" value="${input.project ?? ''}" maxlength="64"></label>
    <button type="submit">筛选</button>
    <a href="/notices">清除</a>
  </form>
</section>
${input.items.length === 0 && html`<p class="card" data-testid="empty">没有符合条件的通知。</p>`}
${input.items.length > 0 &&
html`<div class="table-wrap"><table data-testid="notices">
  <thead><tr><th>编号</th><th>状态</th><th>通知</th><th>项目</th><th>收件人</th><th>方式</th><th class="num">已试</th><th>时间</th><th>说明</th></tr></thead>
  <tbody>${input.items.map(
    (n) => html`<tr data-testid="notice" data-state="${n.state}">
      <td>#${n.id}</td>
      <td><span class="badge ${STATE_CLASS[n.state] ?? 'outline'}">${n.stateName}</span></td>
      <td>${n.templateName}
        ${n.orderId ? html`<div class="small"><a href="/orders#order-${n.orderId}">责令限期支付 #${n.orderId}</a></div>` : ''}${n.caseId ? html`<div class="small"><a href="/cases/${n.caseId}">案件 #${n.caseId}</a></div>` : ''}</td>
      <td>${n.projectCode ? html`<a href="/projects/${encodeURIComponent(n.projectCode)}">${n.projectCode}</a>` : '—'}</td>
      <td>${n.recipientRoleName}${n.recipientName ? ` ${n.recipientName}` : ''}</td>
      <td>${n.channelName}<div class="small muted nowrap"><code>${n.address}</code></div></td>
      <td class="num">${n.attempts}</td>
      <td class="small">${n.sentAt ? `发送于 ${timeZh(n.sentAt)}` : n.nextAttemptAt ? `${n.state === 'failed' ? '下次重试' : '待发送'} ${timeZh(n.nextAttemptAt)}` : `生成于 ${timeZh(n.createdAt)}`}</td>
      <td class="small">${n.lastError && n.state !== 'sent' ? errorZh(n.lastError) : ''}</td>
    </tr>
    <tr class="notice-text"><td colspan="9"><details><summary>通知内容：${n.subject}</summary><div class="pre small">${n.body}</div></details></td></tr>`,
  )}</tbody>
</table></div>`}
${pages > 1 &&
html`<nav class="pager">${input.page > 1 ? html`<a href="${link(input.page - 1)}">上一页</a>` : ''} 第 ${input.page} / ${pages} 页 ${input.page < pages ? html`<a href="${link(input.page + 1)}">下一页</a>` : ''}</nav>`}`;
}
