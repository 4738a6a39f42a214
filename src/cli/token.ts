/**
 * `huxin token create --role <role> --name <who> [--uscc <credit code>] [--expires YYYY-MM-DD] [--reason <why>]`
 *   (`--uscc` is required for, and only for, `--role contractor`: the unit the token is bound to)
 * `huxin token list`
 * `huxin token revoke <id> [--reason <why>]`
 *
 * `create` prints the token alone on stdout (so `TOKEN=$(huxin token create …)` works) and the details on
 * stderr; the token is shown this once — only its SHA-256 is stored. Every issue and revocation is audited
 * with the operating-system user as the actor.
 */
import { userInfo } from 'node:os';
import { ROLES } from '../api/roles.ts';
import { createToken, listTokens, revokeToken, TokenError, tokenStatus } from '../api/tokens.ts';
import type { Store } from '../store/store.ts';

export interface TokenCommandContext {
  store: Store;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** who runs the command (default `cli:<OS user>`) */
  actor?: string;
  /** ISO timestamp (default: the clock) */
  now?: () => string;
}

const USAGE = `用法:
  huxin token create --role <${ROLES.join('|')}> --name <使用人> [--uscc <统一社会信用代码，contractor 必填>] [--expires YYYY-MM-DD] [--reason <说明>]
  huxin token list
  huxin token revoke <id> [--reason <说明>]
`;

function parse(args: readonly string[]): { positionals: string[]; options: Map<string, string> } {
  const positionals: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq > 0) options.set(arg.slice(2, eq), arg.slice(eq + 1));
    else {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`选项 ${arg} 缺少取值`);
      options.set(arg.slice(2), value);
      i++;
    }
  }
  return { positionals, options };
}

class UsageError extends Error {}

function defaultActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

export async function tokenCommand(args: string[], ctx: TokenCommandContext): Promise<number> {
  const now = ctx.now ?? (() => new Date().toISOString());
  const actor = ctx.actor ?? defaultActor();
  const [sub, ...rest] = args;
  try {
    const { positionals, options } = parse(rest);
    const allow = (...names: string[]) => {
      for (const key of options.keys()) if (!names.includes(key)) throw new UsageError(`未知选项 --${key}`);
    };
    switch (sub) {
      case 'create': {
        allow('role', 'name', 'uscc', 'expires', 'reason');
        const role = options.get('role');
        const name = options.get('name');
        if (!role || !name || positionals.length > 0) throw new UsageError('create 需要 --role 和 --name');
        const { id, token } = await createToken(ctx.store, { role, name, actor, now: now(), expiresAt: options.get('expires') ?? null, reason: options.get('reason') ?? null, uscc: options.get('uscc') ?? null });
        ctx.stdout.write(`${token}\n`);
        const expires = options.get('expires');
        ctx.stderr.write(`已签发令牌 #${id}（角色 ${role}，使用人 ${name}${options.get('uscc') ? `，单位 ${options.get('uscc')!.trim().toUpperCase()}` : ''}${expires ? `，有效至 ${expires}` : '，长期有效'}）。令牌只显示这一次，请妥善保存。\n`);
        return 0;
      }
      case 'list': {
        allow();
        if (positionals.length > 0) throw new UsageError('list 不接受参数');
        const at = now();
        const rows = await listTokens(ctx.store);
        ctx.stdout.write(['id', 'role', 'name', 'status', 'created_at', 'created_by', 'expires', 'revoked_at', 'uscc'].join('\t') + '\n');
        for (const t of rows) {
          ctx.stdout.write([t.id, t.role, t.name, tokenStatus(t, at), t.createdAt, t.createdBy, t.expiresAt ?? '-', t.revokedAt ?? '-', t.uscc ?? '-'].join('\t') + '\n');
        }
        return 0;
      }
      case 'revoke': {
        allow('reason');
        const [idText, ...extra] = positionals;
        if (!idText || extra.length > 0 || !/^\d+$/.test(idText)) throw new UsageError('revoke 需要一个令牌编号，例如 huxin token revoke 3');
        const info = await revokeToken(ctx.store, { id: Number(idText), actor, now: now(), reason: options.get('reason') ?? null });
        ctx.stdout.write(`已吊销令牌 #${info.id}（${info.role}，${info.name}）\n`);
        return 0;
      }
      default:
        ctx.stderr.write(sub ? `未知子命令: ${sub}\n${USAGE}` : USAGE);
        return 2;
    }
  } catch (e) {
    if (e instanceof UsageError) {
      ctx.stderr.write(`${e.message}\n${USAGE}`);
      return 2;
    }
    if (e instanceof TokenError) {
      ctx.stderr.write(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
