/**
 * GET /health — the only route that needs no token: is the process up, the database readable, and can it
 * still take writes. A full disk, a read-only database (or file system) and a storage failure answered in
 * the last minute are reported as 503 with a Chinese message (issue 15, finding 6: /health said "ok" while
 * every import failed on a full disk). Reads no data and writes nothing.
 */
import { accessSync, constants, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RouteContext } from '../../server.ts';
import { ApiError } from '../errors.ts';

/** below this much free space the next import cannot be written: reported as full */
export const MIN_FREE_BYTES = 1024 * 1024;
/** a storage failure answered this recently is still reported */
const RECENT_MS = 60_000;

type Verdict = { database: 'ok' } | { database: 'full' | 'read_only' | 'unavailable'; code: string; message: string; freeBytes: number | null };

async function storageVerdict(ctx: RouteContext, lastFailure: { code: string; atMs: number } | null): Promise<Verdict> {
  let readOnly: boolean;
  try {
    await ctx.store.health.ping();
    readOnly = await ctx.store.health.readOnly();
  } catch {
    return { database: 'unavailable', code: 'DATABASE_UNAVAILABLE', message: '数据库不可用', freeBytes: null };
  }
  // SQLite: a file whose disk and permissions can be looked at; PostgreSQL (a URL): the server's own business
  const file = ctx.store.engine === 'sqlite' ? ctx.store.location : '';
  const onDisk = file !== '' && file !== ':memory:';
  let freeBytes: number | null = null;
  if (onDisk) {
    try {
      const s = statfsSync(dirname(file));
      freeBytes = Number(s.bavail) * Number(s.bsize);
    } catch {
      freeBytes = null;
    }
  }
  if (readOnly) return { database: 'read_only', code: 'DATABASE_READ_ONLY', message: '数据库以只读方式打开，不能写入', freeBytes };
  if (onDisk) {
    try {
      accessSync(file, constants.W_OK);
      accessSync(dirname(file), constants.W_OK);
    } catch {
      return { database: 'read_only', code: 'DATABASE_READ_ONLY', message: '数据库文件或其目录只读（或文件系统只读），不能写入：请检查权限和磁盘', freeBytes };
    }
  }
  if (freeBytes !== null && freeBytes < MIN_FREE_BYTES) {
    return { database: 'full', code: 'STORAGE_FULL', message: `数据库所在磁盘空间已满（剩余 ${freeBytes} 字节），导入将失败：请清理磁盘`, freeBytes };
  }
  if (lastFailure && Date.now() - lastFailure.atMs < RECENT_MS) {
    const database = lastFailure.code === 'STORAGE_FULL' ? 'full' : lastFailure.code === 'DATABASE_READ_ONLY' ? 'read_only' : 'unavailable';
    return { database, code: lastFailure.code, message: '最近一分钟内数据库拒绝了写入（磁盘已满、只读或不可访问）：请检查磁盘和数据库文件', freeBytes };
  }
  return { database: 'ok' };
}

export const healthRoutes: FastifyPluginAsyncTypebox<{ ctx: RouteContext }> = async (app, { ctx }) => {
  app.get(
    '/health',
    {
      config: { public: true },
      schema: {
        tags: ['health'],
        summary: '健康检查（无需令牌）：数据库可读、可写、磁盘未满',
        security: [],
        response: { 200: Type.Object({ status: Type.Literal('ok'), time: Type.String(), database: Type.Literal('ok') }), 503: Type.Ref('ErrorResponse') },
      },
    },
    async (request) => {
      const v = await storageVerdict(ctx, request.server.lastStorageFailure?.note ?? null);
      if (v.database !== 'ok') throw new ApiError(503, v.code, v.message, { database: v.database, freeBytes: v.freeBytes });
      return { status: 'ok' as const, time: ctx.now(), database: 'ok' as const };
    },
  );
};
