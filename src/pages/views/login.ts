/** 登录 — sign in with the token issued by `huxin token create`. */
import { html, type Html } from '../html.ts';

export function loginForm(input: { next: string; error?: string | null }): Html {
  return html`<section class="card login">
  <h1>护薪 · 登录</h1>
  <p class="muted small">农民工工资支付合规监管。请输入管理员为您签发的访问令牌（以 hx_ 开头）。</p>
  ${input.error && html`<p class="notice error" role="alert">${input.error}</p>`}
  <form method="post" action="/login" class="stack">
    <input type="hidden" name="next" value="${input.next}">
    <label for="token">访问令牌</label>
    <input id="token" name="token" type="password" autocomplete="off" required maxlength="200" autofocus>
    <button type="submit">登录</button>
  </form>
  <p class="muted small">令牌由服务器上的 <code>npx huxin token create --role inspector --name 姓名</code> 签发。登录状态保存在浏览器会话中，关闭浏览器或点击“退出”即结束。</p>
</section>`;
}
