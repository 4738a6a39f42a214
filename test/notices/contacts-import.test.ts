/**
 * 通知联系人 in the projects import: the optional columns (Chinese and English headers, a few aliases),
 * validated (a mobile number of 11 digits starting with 1, an e-mail's shape), stored with the project; a
 * bad contact rejects the whole file and writes nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectStatus, importBuffer, rows, tableCounts, tempDb, type TestDb } from '../imports/helpers.ts';

let t: TestDb;
beforeEach(async () => {
  t = await tempDb();
});
afterEach(() => t.close());

const BASE_ZH = '项目编号,项目名称,所属区县,建设单位,建设单位信用代码,施工总承包单位,总承包单位信用代码,合同金额,开工日期';
const BASE_ROW = '信都区,邢台城投,9113050397JC02JJX0,冀建集团,9113050091A2UFEPDQ,1000000,2026-05-01';
const CONTACTS = ['labor_officer_name', 'labor_officer_phone', 'labor_officer_email', 'project_manager_name', 'project_manager_phone', 'project_manager_email', 'owner_contact_name', 'owner_contact_phone', 'owner_contact_email'];

describe('projects import: contact columns', () => {
  it('reads the Chinese headers, normalises the values and stores them with the project', async () => {
    const csv =
      `${BASE_ZH},劳资专管员姓名,劳资专管员手机,劳资专管员邮箱,项目经理,项目经理手机号,项目经理邮箱,建设单位联系人,建设单位联系人手机,建设单位联系人邮箱\n` +
      `XT-C-1,甲项目,${BASE_ROW},赵劳资,+86 137-0000-1111,Zhao@JiJian.Example.COM,钱经理,13800002222,,孙联系,,sun@xtct.example.com\n` +
      `XT-C-2,乙项目,${BASE_ROW},,,,,,,,,\n`;
    expectStatus(await importBuffer(t.store, 'projects', csv), 'imported');
    const got = (await rows<Record<string, string | null>>(t.store, `SELECT code, ${CONTACTS.join(', ')} FROM projects ORDER BY code`));
    expect(got[0]).toEqual({
      code: 'XT-C-1',
      labor_officer_name: '赵劳资',
      labor_officer_phone: '13700001111',
      labor_officer_email: 'Zhao@jijian.example.com',
      project_manager_name: '钱经理',
      project_manager_phone: '13800002222',
      project_manager_email: null,
      owner_contact_name: '孙联系',
      owner_contact_phone: null,
      owner_contact_email: 'sun@xtct.example.com',
    });
    expect(Object.values(got[1]!).filter((v) => v !== null)).toEqual(['XT-C-2']);
  });

  it('reads the English headers too', async () => {
    const csv = `project_code,project_name,county,owner_name,owner_uscc,contractor_name,contractor_uscc,contract_amount,start_date,labor_officer_name,labor_officer_phone,labor_officer_email\nXT-C-3,丙项目,${BASE_ROW},李专管,15011112222,li@example.cn\n`;
    expectStatus(await importBuffer(t.store, 'projects', csv), 'imported');
    expect((await rows(t.store, 'SELECT labor_officer_name, labor_officer_phone, labor_officer_email FROM projects'))).toEqual([
      { labor_officer_name: '李专管', labor_officer_phone: '15011112222', labor_officer_email: 'li@example.cn' },
    ]);
  });

  it('a bad phone or e-mail is a problem on its line and column, in Chinese, and nothing is written', async () => {
    const before = (await tableCounts(t.store));
    const csv =
      `${BASE_ZH},劳资专管员手机,项目经理邮箱,建设单位联系人手机\n` +
      `XT-C-4,丁项目,${BASE_ROW},2370000111,pm@example,13600002222\n` +
      `XT-C-5,戊项目,${BASE_ROW},13700001111,pm@@example.com,1360000222\n`;
    const out = expectStatus(await importBuffer(t.store, 'projects', csv), 'rejected');
    expect(out.problems.map((p) => [p.line, p.column])).toEqual([
      [2, '劳资专管员手机'],
      [2, '项目经理邮箱'],
      [3, '项目经理邮箱'],
      [3, '建设单位联系人手机'],
    ]);
    expect(out.problems[0]!.reason).toMatch(/应为以1开头的11位数字/);
    expect(out.problems[1]!.reason).toMatch(/电子邮箱“pm@example”格式不正确/);
    expect((await tableCounts(t.store))).toEqual(before);
  });

  it('a re-import replaces the contacts and keeps the old values in the batch detail', async () => {
    const head = `${BASE_ZH},劳资专管员姓名,劳资专管员手机\n`;
    expectStatus(await importBuffer(t.store, 'projects', `${head}XT-C-6,己项目,${BASE_ROW},赵劳资,13700001111\n`), 'imported');
    const second = expectStatus(await importBuffer(t.store, 'projects', `${head}XT-C-6,己项目,${BASE_ROW},周劳资,13700009999\n`, 'second.csv'), 'imported');
    expect((await rows(t.store, 'SELECT labor_officer_name, labor_officer_phone FROM projects'))).toEqual([{ labor_officer_name: '周劳资', labor_officer_phone: '13700009999' }]);
    expect(JSON.stringify(second.batch)).toContain('赵劳资');
  });
});
