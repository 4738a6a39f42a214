/**
 * Log settings: HUXIN_LOG_LEVEL, HUXIN_LOG_FORMAT=pretty, ISO times — and a readable line is as masked as a
 * JSON one. A bad setting stops the start with a Chinese message naming the variable.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiLogger, loggerFromEnv } from '../../src/api/logging.ts';
import { startServer } from '../../src/api/start.ts';

const dir = mkdtempSync(join(tmpdir(), 'huxin-logs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sink(): { stream: Writable & { write(s: string): boolean }; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      text += String(chunk);
      cb();
    },
  });
  return { stream, text: () => text };
}

const ID = '130503199001010012';

describe('log settings', () => {
  it('reads HUXIN_LOG_LEVEL and HUXIN_LOG_FORMAT, defaulting to info and JSON', () => {
    expect(loggerFromEnv({})).toEqual({ level: 'info', pretty: false });
    expect(loggerFromEnv({ HUXIN_LOG_LEVEL: 'debug', HUXIN_LOG_FORMAT: 'pretty' })).toEqual({ level: 'debug', pretty: true });
    expect(() => loggerFromEnv({ HUXIN_LOG_LEVEL: 'verbose' })).toThrow(/HUXIN_LOG_LEVEL 应为 .*verbose/);
    expect(() => loggerFromEnv({ HUXIN_LOG_FORMAT: 'xml' })).toThrow(/HUXIN_LOG_FORMAT 应为 json\|pretty/);
  });

  it('writes JSON lines with ISO 8601 times, and drops lines below the level', () => {
    const s = sink();
    const log = createApiLogger({ level: 'warn', stream: s.stream });
    log.info('not shown');
    log.warn({ idNumber: ID }, `导入 ${ID}`);
    const lines = s.text().trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as { time: string; msg: string; idNumber: string };
    expect(line.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(line.msg).toBe('导入 130503********0012');
    expect(line.idNumber).toBe('130503********0012');
  });

  it('pretty: readable lines (not JSON), still masked', () => {
    const s = sink();
    const log = createApiLogger({ level: 'info', pretty: true, stream: s.stream });
    log.info({ note: `card 6222021234567890123 of ${ID}` }, `导入 ${ID}`);
    const text = s.text();
    expect(() => JSON.parse(text.split('\n')[0]!)).toThrow();
    expect(text).toMatch(/INFO.*导入 130503\*{8}0012/);
    expect(text).not.toContain(ID);
    expect(text).not.toContain('6222021234567890123');
  });

  it('a bad HUXIN_LOG_LEVEL stops the server before it opens the database', async () => {
    const dbPath = join(dir, 'never.db');
    await expect(startServer({ dbPath, env: { HUXIN_LOG_LEVEL: 'loud', PORT: '0' }, handleSignals: false })).rejects.toThrow('HUXIN_LOG_LEVEL');
    expect(existsSync(dbPath)).toBe(false);
  });
});
