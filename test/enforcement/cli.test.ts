/**
 * `huxin case …` and `huxin blacklist …` against a database of the test's engine (a SQLite file, or a
 * PostgreSQL URL as --db) holding the demo city (imported and
 * recomputed through the CLI): intake from flags, a lawful and a forbidden transition, the overdue list, the
 * evidence pack written to a file (masked unless --full, which is audited), and the blacklist commands.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { huxin } from '../support/cli.ts';
import { freshLocation, type TestLocation } from '../support/engines.ts';
import { onStore } from '../support/storeOn.ts';

const dir = mkdtempSync(join(tmpdir(), 'huxin-enf-cli-'));
let db: TestLocation;
const DEMO = join(import.meta.dirname, '../../fixtures/demo');
const ID18 = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/;
afterAll(async () => {
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const run = (...argv: string[]) => huxin(db.location, ...argv);
/** a plain read of the database the commands wrote (a store of its own, as another process would open it) */
const read = <T,>(sql: string) => onStore(db.location, (s) => s.sql.all<T>(sql));

let flagIds: number[] = [];
beforeAll(async () => {
  db = await freshLocation();
  for (const kind of ['projects', 'roster', 'payroll', 'payments', 'account_transactions', 'deposits']) {
    const r = await run('import', kind, join(DEMO, `${kind}.csv`));
    expect(r.code, r.err).toBe(0);
  }
  expect((await run('recompute', '--as-of', '2026-11-28')).code).toBe(0);
  flagIds = (await read<{ id: number }>("SELECT f.id FROM findings f JOIN projects p ON p.id = f.project_id WHERE p.code = 'XT-2026-003' AND f.code = 'WAGE_UNPAID' ORDER BY f.id")).map((r) => r.id);
}, 120_000);

describe('huxin case', () => {
  it('intake from flags prints the routing', async () => {
    const r = await run('case', 'intake', '--findings', flagIds.join(','), '--reason', '工人投诉', '--filed-on', '2026-11-28');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^案件 #1 已登记：4名劳动者主张欠薪[\d,.]+元，分流至快裁/);
  });

  it('a lawful transition prints the new clock; a forbidden one exits 1 with the Chinese reason', async () => {
    const ok = await run('case', 'transition', '1', '--to', 'arbitration', '--on', '2026-11-30', '--reason', '申请仲裁');
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toContain('至2026-12-07届满');
    const no = await run('case', 'transition', '1', '--to', 'closed', '--on', '2026-12-01', '--reason', '结案');
    expect(no.code).toBe(0); // arbitration → closed (settled) is lawful
    const bad = await run('case', 'transition', '1', '--to', 'trial', '--on', '2026-12-02', '--reason', '起诉');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('案件不能从“结案”转入“快审（诉讼）”');
  });

  it('list, show (masked) and overdue', async () => {
    await run('case', 'intake', '--findings', String(flagIds[0]), '--reason', '单人投诉', '--filed-on', '2026-11-28');
    await run('case', 'transition', '2', '--to', 'mediation', '--on', '2026-11-28', '--reason', '双方同意调解');
    const list = await run('case', 'list', '--as-of', '2026-12-20');
    expect(list.out.split('\n').filter(Boolean)).toHaveLength(2);
    const show = await run('case', 'show', '2', '--as-of', '2026-12-20');
    expect(show.out).not.toMatch(ID18);
    // mediation from 2026-11-28: 15 days → 12-13 (Sun) → Mon 12-14
    const overdue = await run('case', 'overdue', '--as-of', '2026-12-20');
    expect(overdue.out).toMatch(/^#2\t快调（调解）\t劳动争议调解期限\t届满2026-12-14\t逾期6天/);
  });

  it('pack to a file: masked by default; --full is whole and audited', async () => {
    const path = join(dir, 'pack.json');
    const r = await run('case', 'pack', '1', '--as-of', '2026-11-28', '--out', path);
    expect(r.code, r.err).toBe(0);
    const text = readFileSync(path, 'utf8');
    expect(text).not.toMatch(ID18);
    expect(JSON.parse(text).totals.workerMonths).toBe(4);
    const full = await run('case', 'pack', '1', '--as-of', '2026-11-28', '--full', '--reason', '提交仲裁委');
    expect(full.out).toMatch(ID18);
    const audit = await read<{ action: string }>("SELECT action FROM audit_log WHERE entity = 'wage_case' AND entity_id = '1' ORDER BY id");
    expect(audit.map((a) => a.action)).toEqual(['case_intake', 'case_transition', 'case_transition', 'case_evidence_pack', 'view_personal_data']);
  });

  it('the pack file is 0600 (also when it existed 0644 before); --full needs a reason (issue 15, finding 7)', async () => {
    const path = join(dir, 'pack-full.html');
    writeFileSync(path, 'old', { mode: 0o644 });
    chmodSync(path, 0o644);
    const noReason = await run('case', 'pack', '1', '--as-of', '2026-11-28', '--full', '--format', 'html', '--out', path);
    expect(noReason.code).not.toBe(0);
    expect(noReason.err).toContain('--reason');
    expect(readFileSync(path, 'utf8')).toBe('old');
    const r = await run('case', 'pack', '1', '--as-of', '2026-11-28', '--full', '--format', 'html', '--reason', '法院调取', '--out', path);
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(path, 'utf8')).toMatch(ID18);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const masked = join(dir, 'pack-masked.json');
    expect((await run('case', 'pack', '1', '--as-of', '2026-11-28', '--out', masked)).code).toBe(0);
    expect(statSync(masked).mode & 0o777).toBe(0o600);
    const last = (await read("SELECT action, reason FROM audit_log WHERE action = 'view_personal_data' ORDER BY id DESC LIMIT 1"))[0];
    expect(last).toEqual({ action: 'view_personal_data', reason: '法院调取' });
  });
});

describe('huxin blacklist', () => {
  it('list and changes run on an empty list', async () => {
    expect((await run('blacklist', 'list')).code).toBe(0);
    const c = await run('blacklist', 'changes', '--from', '2026-01-01', '--to', '2026-12-31');
    expect(c.code).toBe(0);
    expect(c.out).toBe('');
    const bad = await run('blacklist', 'show', '9');
    expect(bad.code).toBe(3);
    expect(bad.err).toContain('名单程序 #9不存在');
  });
});
