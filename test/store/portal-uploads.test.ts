/**
 * 报送门户的文件与答复 over the store, on both engines (issue 20 points 3 and 5): a file's bytes go in as a
 * blob (bytea on PostgreSQL) and come back as the same Buffer — through a plain insert and through the bulk
 * path (COPY on PostgreSQL); a contractor's answer to a warning, its return and a second answer are steps
 * of the closing loop with their audit entries; a signed wage table is kept with the month's accepted batch;
 * a download is audited; another unit sees none of it; a copied database (PostgreSQL → SQLite on the
 * postgres project) carries the files byte for byte.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/api/roles.ts';
import { isoDate } from '../../src/domain/date.ts';
import { loadDemoCity } from '../../src/services/demoCity.ts';
import { respondToWarning, returnResponse, unitWarnings } from '../../src/services/portal/answers.ts';
import { attachSignedTable, downloadFile, unitConfirmations } from '../../src/services/portal/confirmations.ts';
import { checkUpload } from '../../src/services/portal/files.ts';
import { recompute } from '../../src/services/recompute.ts';
import { assignWarning, rectificationOf } from '../../src/services/warnings.ts';
import { copyDatabase } from '../../src/store/copy.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { freshLocation, type TestLocation } from '../support/engines.ts';

const NOW = '2026-11-28T02:00:00.000Z';
let source: TestLocation;
let loc: TestLocation;
let store: Store;
let unit: string;
let contractor: Principal;
let stranger: Principal;

/** a PNG signature then random bytes: every byte value, NULs among them */
const png = () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(4096), Buffer.from([0, 0, 255, 92, 120])]);
const pdf = () => Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(2048)]);

beforeAll(async () => {
  source = await freshLocation('sqlite');
  const seed = await openStore(source.location);
  await loadDemoCity(seed, '2026-11-01T00:00:00Z');
  await seed.close();
  loc = await freshLocation();
  store = await openStore(loc.location);
  const from = await openStore(source.location, { readonly: true });
  await copyDatabase(from, store);
  await from.close();
  await recompute(store, isoDate('2026-11-27'), '2026-11-27T18:00:00Z');
  unit = (await store.sql.get<{ u: string }>("SELECT contractor_uscc AS u FROM projects WHERE code = 'XT-2026-001'"))!.u;
  contractor = { tokenId: 7, name: '周专管', role: 'contractor', uscc: unit };
  stranger = { tokenId: 8, name: '外单位', role: 'contractor', uscc: (await store.sql.get<{ u: string }>("SELECT contractor_uscc AS u FROM projects WHERE code = 'XT-2026-004'"))!.u };
}, 120_000);
afterAll(async () => {
  await store?.close();
  await loc?.drop();
  await source?.drop();
});

const count = async (table: string, where = '1 = 1', params: unknown[] = []) => Number((await store.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`, params))!.n);

describe('files as blobs', () => {
  it('come back as the very bytes, through an insert and through the bulk path', async () => {
    const bytes = png();
    const id = await store.uploads.insertFile({
      uploadedAt: NOW,
      tokenId: 1,
      submitter: 'x',
      uscc: unit,
      projectId: 1,
      purpose: 'evidence',
      responseId: null,
      fileName: 'a.png',
      mediaType: 'image/png',
      sha256: 'x',
      content: bytes,
    });
    const back = await store.uploads.fileContent(id);
    expect(Buffer.isBuffer(back!.content)).toBe(true);
    expect(back!.content.equals(bytes)).toBe(true);
    expect(back!.byte_size).toBe(bytes.length);
    const bulk = pdf();
    await store.sql.insertMany(
      'portal_files',
      ['id', 'uploaded_at', 'token_id', 'submitter', 'uscc', 'project_id', 'purpose', 'file_name', 'media_type', 'byte_size', 'sha256', 'content'],
      [[9000, NOW, 1, 'x', unit, 1, 'evidence', 'b.pdf', 'application/pdf', bulk.length, 'x', bulk]],
    );
    expect((await store.uploads.fileContent(9000))!.content.equals(bulk)).toBe(true);
    await store.sql.run('DELETE FROM portal_files WHERE id IN (?, ?)', [id, 9000]);
  });
});

describe('answering a warning, in the closing loop', () => {
  it('the unit sees its warnings; an answer, a return and a second answer are steps with audit entries; another unit sees nothing', async () => {
    const mine = await unitWarnings(store, unit);
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((w) => w.project.code === 'XT-2026-001')).toBe(true);
    const target = mine.items.find((w) => w.problem === 'LABOUR_CONTRACT')!;
    expect(target.canRespond).toBe(false);
    await expect(respondToWarning(store, contractor, target.key, { action: 'rectified', text: '已补签', files: [checkUpload({ name: 'c.png', bytes: png() })] }, NOW)).rejects.toMatchObject({ code: 'NOT_OPEN' });
    await assignWarning(store, target.key, { assignee: '赵监察', workingDays: 5, reason: '限期补签劳动合同', on: isoDate('2026-11-28') }, { name: '赵监察' }, NOW);
    const files = [checkUpload({ name: '合同.png', bytes: png() }), checkUpload({ name: '花名册.pdf', bytes: pdf() })];
    const answered = await respondToWarning(store, contractor, target.key, { action: 'rectified', text: '已与工人补签书面劳动合同', files }, NOW);
    expect(answered.rectification?.deadline).toBe('2026-12-04');
    expect(answered.responses).toHaveLength(1);
    expect(answered.responses[0]!.status).toBe('submitted');
    expect(answered.responses[0]!.files.map((f) => f.mediaType)).toEqual(['image/png', 'application/pdf']);
    const stored = await store.uploads.fileContent(answered.responses[0]!.files[0]!.id);
    expect(stored!.content.equals(files[0]!.content)).toBe(true);

    const returned = await returnResponse(store, target.key, answered.responses[0]!.id, { reason: '合同未见工人签字' }, { name: '赵监察' }, '2026-11-29T02:00:00.000Z');
    expect(returned.status).toBe('returned');
    expect(returned.reviewReason).toBe('合同未见工人签字');
    await expect(returnResponse(store, target.key, answered.responses[0]!.id, { reason: '再退' }, { name: '赵监察' }, NOW)).rejects.toMatchObject({ code: 'ALREADY_REVIEWED' });
    await respondToWarning(store, contractor, target.key, { action: 'rectified', text: '补交工人签字的合同', files: [checkUpload({ name: '合同2.jpg', bytes: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(100)]) })] }, NOW);

    const rect = await rectificationOf(store, target.key);
    expect(rect!.steps!.map((s) => s.step)).toEqual(['assign', 'respond', 'return', 'respond']);
    expect(await count('audit_log', 'entity_id = ? AND action IN (?, ?)', [target.key, 'warning_respond', 'warning_return'])).toBe(3);
    const after = await unitWarnings(store, unit);
    expect(after.items.find((w) => w.key === target.key)!.responses.map((r) => r.status)).toEqual(['returned', 'submitted']);

    // another unit: not in its list, and asking by key reads like a warning that does not exist
    expect((await unitWarnings(store, stranger.uscc!)).items.some((w) => w.key === target.key)).toBe(false);
    await expect(respondToWarning(store, stranger, target.key, { action: 'paid', text: 'x', files }, NOW)).rejects.toMatchObject({ statusCode: 404 });
  });
});

describe('a copied database', () => {
  it('carries the files byte for byte (huxin db copy; from PostgreSQL on the postgres project)', async () => {
    const target = await freshLocation('sqlite');
    const to = await openStore(target.location);
    try {
      await copyDatabase(store, to);
      const ids = (await store.sql.all<{ id: number }>('SELECT id FROM portal_files ORDER BY id')).map((r) => Number(r.id));
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) expect((await to.uploads.fileContent(id))!.content.equals((await store.uploads.fileContent(id))!.content)).toBe(true);
    } finally {
      await to.close();
      await target.drop();
    }
  });
});

describe('the workers a warning concerns', () => {
  it('all of the project’s for its general contractor, only its own for an employer on the roster (masked numbers)', async () => {
    const key = 'p4-LABOUR_CONTRACT';
    const sub = (await store.sql.get<{ u: string }>("SELECT employer_uscc AS u FROM roster_entries r JOIN projects p ON p.id = r.project_id WHERE p.code = 'XT-2026-004' AND r.employer_uscc <> p.contractor_uscc AND NOT r.contract_signed AND r.superseded_by IS NULL LIMIT 1"))!.u;
    const own = await store.sql.all<{ id_number: string; name: string; employer_uscc: string }>(
      "SELECT r.id_number, r.name, r.employer_uscc FROM roster_entries r WHERE r.project_id = 4 AND NOT r.contract_signed AND r.superseded_by IS NULL AND r.entry_date <= '2026-11-27' ORDER BY r.id",
    );
    const gcView = (await unitWarnings(store, stranger.uscc!)).items.find((w) => w.key === key)!;
    const subView = (await unitWarnings(store, sub)).items.find((w) => w.key === key)!;
    expect(gcView.workers.map((w) => w.name).sort()).toEqual(own.map((r) => r.name).sort());
    expect(subView.workers.map((w) => w.name).sort()).toEqual(own.filter((r) => r.employer_uscc === sub).map((r) => r.name).sort());
    expect(subView.workers.length).toBeLessThan(gcView.workers.length);
    for (const w of gcView.workers) expect(w.idNumber).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    expect(gcView.issues).toEqual(['未签劳动合同']);
  });
});

describe('the signed wage table', () => {
  it('is kept with the month’s accepted batch; a download is audited; another unit cannot fetch it', async () => {
    const batch = (await store.sql.get<{ b: number }>("SELECT MAX(batch_id) AS b FROM payroll_rows WHERE project_id = 1 AND month = '2026-10' AND superseded_by IS NULL"))!.b;
    const scan = pdf();
    const c = await attachSignedTable(store, contractor, { projectCode: 'XT-2026-001', month: '2026-10', file: checkUpload({ name: '10月工资表签字.pdf', bytes: scan }) }, NOW);
    expect(c.batchId).toBe(Number(batch));
    expect(c.file.size).toBe(scan.length);
    await expect(attachSignedTable(store, contractor, { projectCode: 'XT-2026-001', month: '2027-01', file: checkUpload({ name: 'x.pdf', bytes: scan }) }, NOW)).rejects.toMatchObject({ code: 'NO_WAGE_TABLE' });
    await expect(attachSignedTable(store, stranger, { projectCode: 'XT-2026-001', month: '2026-10', file: checkUpload({ name: 'x.pdf', bytes: scan }) }, NOW)).rejects.toMatchObject({ statusCode: 404 });
    expect((await unitConfirmations(store, unit, 10)).map((x) => x.id)).toEqual([c.id]);
    expect(await unitConfirmations(store, stranger.uscc!, 10)).toEqual([]);
    const audits = await count('audit_log', "action = 'portal_file_download'");
    const got = await downloadFile(store, { tokenId: 2, name: '钱导入', role: 'importer' }, c.file.id, NOW);
    expect(got.content.equals(scan)).toBe(true);
    await expect(downloadFile(store, stranger, c.file.id, NOW)).rejects.toMatchObject({ statusCode: 404 });
    expect(await count('audit_log', "action = 'portal_file_download'")).toBe(audits + 1);
  });
});
