/** The page shell: header with the signed-in user and role, navigation, sign-out, notices. */
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../api/roles.ts';
import { ROLE_ZH } from './format.ts';
import { html, type Html, type Interpolation } from './html.ts';

export type NavKey = 'dashboard' | 'flags' | 'projects' | 'imports' | 'reports' | 'cases' | 'orders' | 'blacklist' | 'params' | 'notices' | 'late' | 'portal' | 'portal-warnings' | 'portal-confirmations' | 'submissions' | null;

const NAV: ReadonlyArray<{ key: Exclude<NavKey, null>; href: string; label: string }> = [
  { key: 'dashboard', href: '/', label: '总览' },
  { key: 'flags', href: '/flags', label: '复核队列' },
  { key: 'projects', href: '/projects', label: '项目' },
  { key: 'cases', href: '/cases', label: '案件' },
  { key: 'orders', href: '/orders', label: '责令支付' },
  { key: 'blacklist', href: '/blacklist', label: '失信名单' },
  { key: 'notices', href: '/notices', label: '通知' },
  { key: 'imports', href: '/imports', label: '导入' },
  { key: 'late', href: '/late', label: '催报' },
  { key: 'submissions', href: '/submissions', label: '报送记录' },
  { key: 'reports', href: '/reports', label: '夜间报告' },
  { key: 'params', href: '/params', label: '法定参数' },
];

const CONTRACTOR_NAV: typeof NAV = [
  { key: 'portal', href: '/portal', label: '工资表报送' },
  { key: 'portal-warnings', href: '/portal/warnings', label: '预警整改' },
  { key: 'portal-confirmations', href: '/portal/confirmations', label: '签字确认' },
];

export interface PageOptions {
  title: string;
  principal: Principal | null;
  nav?: NavKey;
  notice?: { kind: 'ok' | 'error'; text: string } | null;
  body: Interpolation;
}

const shell = (title: string, content: Interpolation): Html => html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${title} · 护薪</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/app.css">
<script src="/assets/app.js" defer></script>
</head>
<body>
${content}
</body>
</html>
`;

export function page(o: PageOptions): string {
  const user = o.principal;
  // a contractor's officer sees its portal's pages, never the bureau's navigation
  const nav = user?.role === 'contractor' ? CONTRACTOR_NAV : NAV;
  return shell(
    o.title,
    html`<header class="top">
  <a class="brand" href="${user?.role === 'contractor' ? '/portal' : '/'}">护薪<small>农民工工资支付监管</small></a>
  <nav aria-label="主导航">
    ${nav.map((n) => html`<a href="${n.href}"${n.key === o.nav ? html` aria-current="page"` : ''}>${n.label}</a>`)}
  </nav>
  ${user &&
  html`<div class="user">
    <span class="who" data-testid="user">${user.name}<span class="role">${ROLE_ZH[user.role]}</span></span>
    <form method="post" action="/logout"><button type="submit" class="link">退出</button></form>
  </div>`}
</header>
<main>
  ${o.notice && html`<p class="notice ${o.notice.kind}" role="status">${o.notice.text}</p>`}
  ${o.body}
</main>
<footer class="foot">护薪 Huxin · 身份证号、银行卡号、手机号在所有页面中均已遮蔽</footer>`,
  ).value;
}

/** A page without the signed-in chrome (sign-in). */
export function barePage(title: string, body: Interpolation): string {
  return shell(title, html`<main class="bare">${body}</main>`).value;
}

export function errorPage(request: FastifyRequest, status: number, message: string): string {
  return page({
    title: status === 404 ? '未找到' : status === 403 ? '无权访问' : '出错了',
    principal: request.principal,
    body: html`<section class="card"><h1>${status === 404 ? '未找到' : status === 403 ? '无权访问' : '出错了'}</h1>
      <p>${message}</p><p><a href="/">返回总览</a></p><p class="muted">请求编号 ${String(request.id)}</p></section>`,
  });
}

export function forbiddenPage(request: FastifyRequest, allowed: readonly string[]): string {
  const role = request.principal ? `“${ROLE_ZH[request.principal.role]}”` : '';
  return errorPage(request, 403, `当前角色${role}无权使用该页面；可使用的角色：${allowed.join('、')}。`);
}
