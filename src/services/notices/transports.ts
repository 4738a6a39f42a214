/**
 * 通知的发送通道 — e-mail over SMTP (nodemailer) and SMS through an HTTP gateway, configured by environment
 * variables (README “通知”):
 *
 *   HUXIN_SMTP_URL         smtp://user:pass@host:587 or smtps://…:465 (or the parts below)
 *   HUXIN_SMTP_HOST / HUXIN_SMTP_PORT (587) / HUXIN_SMTP_USER / HUXIN_SMTP_PASS / HUXIN_SMTP_SECURE=1 (TLS from the start)
 *   HUXIN_SMTP_FROM        the sender, e.g. "护薪 <huxin@rsj.example.gov.cn>" (required with either form)
 *   HUXIN_SMS_URL          the gateway: POST {"to": "13812345678", "text": "…"} as JSON; any 2xx is delivered,
 *                          anything else (or no answer within 15 s) is a failed attempt, retried later
 *   HUXIN_SMS_TOKEN        optional: sent as `Authorization: Bearer <token>`
 *
 * A channel that is not configured is not attempted: its notices stay pending until it is.
 */
import nodemailer from 'nodemailer';
import type { NoticeChannel } from '../../store/repos/notices.ts';

export interface OutgoingNotice {
  readonly address: string;
  readonly subject: string;
  readonly body: string;
}

export interface Transport {
  readonly channel: NoticeChannel;
  /** resolves when the far end accepted the notice; rejects with the reason otherwise */
  send(n: OutgoingNotice): Promise<void>;
  close?(): void;
}

export class ConfigError extends Error {}

const env1 = (env: NodeJS.ProcessEnv, name: string): string | undefined => {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
};

/** SMTP with nodemailer, from HUXIN_SMTP_*; null when not configured. */
export function emailTransportFromEnv(env: NodeJS.ProcessEnv = process.env): Transport | null {
  const url = env1(env, 'HUXIN_SMTP_URL');
  const host = env1(env, 'HUXIN_SMTP_HOST');
  if (!url && !host) return null;
  const from = env1(env, 'HUXIN_SMTP_FROM');
  if (!from) throw new ConfigError('已配置 SMTP 服务器，但缺少发件人 HUXIN_SMTP_FROM（例如 "护薪 <huxin@example.gov.cn>"）');
  const timeouts = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 };
  let options: Parameters<typeof nodemailer.createTransport>[0];
  if (url) {
    if (!/^smtps?:\/\//.test(url)) throw new ConfigError('HUXIN_SMTP_URL 应以 smtp:// 或 smtps:// 开头');
    options = { url, ...timeouts } as never;
  } else {
    const port = Number(env1(env, 'HUXIN_SMTP_PORT') ?? '587');
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ConfigError(`HUXIN_SMTP_PORT“${env.HUXIN_SMTP_PORT}”不是有效端口`);
    const user = env1(env, 'HUXIN_SMTP_USER');
    const pass = env.HUXIN_SMTP_PASS ?? '';
    options = { host, port, secure: env1(env, 'HUXIN_SMTP_SECURE') === '1', ...(user ? { auth: { user, pass } } : {}), ...timeouts } as never;
  }
  const mailer = nodemailer.createTransport(options);
  return {
    channel: 'email',
    async send(n) {
      await mailer.sendMail({ from, to: n.address, subject: n.subject, text: n.body });
    },
    close() {
      mailer.close();
    },
  };
}

/** The SMS gateway from HUXIN_SMS_URL (and HUXIN_SMS_TOKEN); null when not configured. */
export function smsTransportFromEnv(env: NodeJS.ProcessEnv = process.env, timeoutMs = 15_000): Transport | null {
  const url = env1(env, 'HUXIN_SMS_URL');
  if (!url) return null;
  if (!/^https?:\/\//.test(url)) throw new ConfigError('HUXIN_SMS_URL 应以 http:// 或 https:// 开头');
  const token = env1(env, 'HUXIN_SMS_TOKEN');
  return {
    channel: 'sms',
    async send(n) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ to: n.address, text: n.body }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const answer = (await res.text().catch(() => '')).slice(0, 200);
      if (res.status < 200 || res.status > 299) throw new Error(`短信网关返回 HTTP ${res.status}${answer ? `：${answer}` : ''}`);
    },
  };
}

/** Both transports from the environment (each null when not configured). */
export function transportsFromEnv(env: NodeJS.ProcessEnv = process.env): Transport[] {
  return [emailTransportFromEnv(env), smsTransportFromEnv(env)].filter((t): t is Transport => t !== null);
}
