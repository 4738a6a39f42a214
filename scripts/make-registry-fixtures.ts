/**
 * Writes the linked-registry fixtures (deterministic, no clock, no randomness):
 *   fixtures/registries/  — one lesson per file, on the import-cases base (projects.csv, roster.csv)
 *   fixtures/demo/{training,insurance,housing,care}.csv — the demo city's registries, from its roster
 *
 *   npx tsx scripts/make-registry-fixtures.ts
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { csvLine, encodeGb18030, UTF8_BOM } from './fixture-values.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = resolve(ROOT, 'fixtures/registries');
const DEMO = resolve(ROOT, 'fixtures/demo');
const CRLF = '\r\n';
mkdirSync(OUT, { recursive: true });

type Cells = readonly (string | number | null | undefined)[];
const text = (rows: readonly Cells[], delimiter = ','): string => rows.map((r) => csvLine(r, delimiter)).join(CRLF) + CRLF;
const utf8 = (dir: string, name: string, rows: readonly Cells[], delimiter = ','): void => writeFileSync(resolve(dir, name), UTF8_BOM + text(rows, delimiter));
const utf8NoBom = (dir: string, name: string, rows: readonly Cells[]): void => writeFileSync(resolve(dir, name), text(rows));
const gbk = (dir: string, name: string, rows: readonly Cells[], delimiter = ','): void => writeFileSync(resolve(dir, name), encodeGb18030(text(rows, delimiter)));

// —— the import-cases base: 王建军, 李秀英, 张伟, 赵国强 on XT-T-001; 王建军 also on XT-T-002 ——
const W1 = { name: '王建军', id: '130503198203150116' };
const W2 = { name: '李秀英', id: '130502199007080227' };
const W3 = { name: '张伟', id: '13050519751130033X' };
const W4 = { name: '赵国强', id: '130582196801020449' };
const NEW = { name: '刘小红', id: '13050319950228002X' }; // on no roster yet (a warning, not an error)

const TRAINING_HEADER = ['身份证号', '姓名', '培训项目', '培训类型', '培训机构', '开始日期', '结束日期', '培训结果', '证书类型', '证书编号', '证书职业', '补贴金额', '补贴状态', '项目编号'];
utf8(OUT, 'training.csv', [
  TRAINING_HEADER,
  [W1.id, W1.name, '建筑木工（四级）', '岗位技能提升培训', '邢台市建筑技工学校', '2026-07-06', '2026-07-24', '合格', '职业技能等级证书', 'S000013050000263000123', '木工', '1,200.00', '已发放', 'XT-T-001'],
  [W2.id, W2.name, '建筑木工（五级）', '就业技能培训', '邢台市建筑技工学校', '2026-07-06', '2026-07-24', '合格', '职业技能等级证书', 'S000013050000263000124', '木工', '800', '已申请', 'XT-T-001'],
  [W3.id, W3.name, '砌筑工', '岗位技能提升培训', '信都区职业培训学校', '2026/8/3', '', '在训', '', '', '', '', '', ''],
  [W4.id, W4.name, '农村电商创业', '创业培训', '邢台市创业服务中心', '2026年9月1日', '2026年9月10日', '不合格', '', '', '', '', '未申请', ''],
]);

// GBK, a title row, Chinese header aliases, a 合计 row and signature lines (skipped with warnings)
gbk(OUT, 'training-gbk-title.csv', [
  ['邢台市2026年农民工职业技能培训花名册'],
  ['身份证号码', '学员姓名', '培训课程', '培训类别', '培训单位', '开班日期', '结业日期', '考核结果', '证书种类', '证书号', '职业(工种)', '培训补贴', '补贴发放状态'],
  [W1.id, '王　建军'.replace('　', ''), '钢筋工（四级）', '岗位技能提升', '邢台市建筑技工学校', '2026.09.07', '2026.09.25', '合格', '专项职业能力证书', 'ZX2026130500871', '钢筋工', '￥1500', '已拨付'],
  [NEW.id, NEW.name, '家政服务', '就业技能', '邢台市家政服务协会', '2026.10.08', '2026.10.20', '合格', '', '', '', '', ''],
  ['合计', '', '', '', '', '', '', '', '', '', '', '1500', ''],
  ['制表人：王丽', '', '审核：李强'],
]);

// every line broken in its own way
utf8(OUT, 'training-broken.csv', [
  TRAINING_HEADER,
  [W1.id, W1.name, '建筑木工（四级）', '岗位技能提升培训', '邢台市建筑技工学校', '2026-07-24', '2026-07-06', '合格', '', '', '', '', '', ''], // end before start
  [W2.id, W2.name, '建筑木工（五级）', '技能大赛', '邢台市建筑技工学校', '2026-07-06', '', '', '', '', '', '', '', ''], // unknown type
  [W3.id, W3.name, '砌筑工', '就业技能培训', '信都区职业培训学校', '2026-08-03', '2026-08-20', '不合格', '职业技能等级证书', 'S0001', '砌筑工', '', '', ''], // certificate though failed
  ['1.30505E+17', W4.name, '电工', '就业技能培训', '信都区职业培训学校', '2026-08-03', '', '', '', '', '', '', '', ''], // Excel damage
  [W1.id, W1.name, '钢筋工', '就业技能培训', '信都区职业培训学校', '2026-08-03', '', '', '', '', '', '12.345', '已发放', ''], // 3 decimals
  [W2.id, '李秀瑛', '电工', '就业技能培训', '信都区职业培训学校', '2026-08-03', '', '', '', '', '', '', '', 'XT-T-999'], // name ≠ roster, unknown project
  [W1.id, W1.name, '建筑木工（四级）', '岗位技能提升培训', '邢台市建筑技工学校', '2026-07-06', '', '', '', '', '', '', '', ''], // ok
  [W1.id, W1.name, '建筑木工（四级）', '岗位技能提升培训', '邢台市建筑技工学校', '2026-07-06', '', '', '', '', '', '', '', ''], // duplicate key
]);

const INSURANCE_HEADER = ['身份证号', '姓名', '险种', '参保地', '参保单位', '参保单位信用代码', '参保日期', '截止日期', '按项目参保', '项目编号'];
// GBK with Chinese headers and a title row: what the 人社局 social-insurance system exports
gbk(OUT, 'insurance-gbk.csv', [
  ['邢台市社会保险参保人员明细（工伤保险按项目参保）'],
  INSURANCE_HEADER,
  [W1.id, W1.name, '工伤保险', '邢台市', '河北中兴建工集团有限公司', '91130500489QG93TE8', '2026-04-01', '', '是', 'XT-T-001'],
  [W2.id, W2.name, '工伤', '邢台市', '河北中兴建工集团有限公司', '91130500489QG93TE8', '2026-04-01', '', '是', 'XT-T-001'],
  [W3.id, W3.name, '工伤保险', '邢台市', '河北中兴建工集团有限公司', '91130500489QG93TE8', '2026-06-10', '', '是', 'XT-T-001'],
  [W1.id, W1.name, '养老保险', '邢台市信都区', '邢台聚力劳务有限公司', '9113050393TRD0XT24', '2024-01-01', '', '否', ''],
  [W4.id, W4.name, '工伤保险', '邢台市', '邢台聚力劳务有限公司', '9113050393TRD0XT24', '2026-01-01', '2026-08-31', '否', ''],
  [W2.id, W2.name, '医疗保险', '邢台市', '', '', '2025/3/1', '', '', ''],
]);

utf8(OUT, 'insurance-broken.csv', [
  INSURANCE_HEADER,
  [W1.id, W1.name, '养老保险', '邢台市', '', '', '2026-04-01', '', '是', 'XT-T-001'], // project-based pension
  [W2.id, W2.name, '工伤保险', '邢台市', '', '', '2026-04-01', '', '是', ''], // project-based without a project
  [W3.id, W3.name, '工伤保险', '邢台市', '', '', '2026-06-10', '2026-06-01', '否', ''], // ends before it starts
  [W4.id, W4.name, '生育保险', '邢台市', '', '', '2026-06-10', '', '否', ''], // not one of the four kinds
  [W4.id, W4.name, '工伤保险', '', '', '', '2026-13-01', '', '也许', ''], // empty place, bad date, bad boolean
  ['130503820315011', W1.name, '工伤保险', '邢台市', '', '', '2026-04-01', '', '否', ''], // 15-digit legacy number
]);

const HOUSING_HEADER = ['id_number', 'name', 'kind', 'status', 'applied_on', 'decided_on', 'address', 'amount', 'household_size', 'no_local_housing', 'years_in_city', 'honours', 'office', 'project_code'];
// English headers, UTF-8 without BOM (a 住建 housing-system export)
utf8NoBom(OUT, 'housing.csv', [
  HOUSING_HEADER,
  [W1.id, W1.name, '公租房申请', '审核中', '2026-09-01', '', '', '', '3', '是', '6', '邢台市优秀农民工', '信都区住房保障中心', ''],
  [W2.id, W2.name, '租赁补贴', '已发放', '2026-06-15', '2026-07-10', '信都区钢铁路12号', '450.00', '2', 'Y', '3', '', '信都区住房保障中心', ''],
  [W3.id, W3.name, '集体宿舍', '已入住', '2026-06-03', '2026-06-03', 'XT-T-001项目部生活区3号楼', '', '', '', '', '', '河北中兴建工集团有限公司', 'XT-T-001'],
]);
utf8(OUT, 'housing-broken.csv', [
  HOUSING_HEADER,
  [W1.id, W1.name, '公租房申请', '已批准', '2026-09-01', '', '', '', '3', '是', '6', '', '', ''], // approved without a date
  [W2.id, W2.name, '租赁补贴', '已批准', '2026-06-15', '2026-06-10', '', '', '2', '是', '3', '', '', ''], // decided before applied, no amount
  [W3.id, W3.name, '廉租房', '已申请', '2026-06-03', '', '', '', '十', '', '', '', '', ''], // unknown kind, household size not a number
]);

const CARE_HEADER = ['身份证号', '姓名', '关爱类型', '关爱对象', '与本人关系', '办理状态', '责任单位', '登记日期', '办结日期', '案件编号', '说明', '项目编号'];
// GBK, tab-separated
gbk(OUT, 'care.csv', [
  CARE_HEADER,
  [W1.id, W1.name, '留守儿童', '王小明', '儿子', '跟进中', '临城县民政局', '2026-07-01', '', '', '在临城县郝庄镇小学就读，由祖母照看', ''],
  [W2.id, W2.name, '随迁子女入学', '张悦', '女儿', '已办结', '信都区教育局', '2026-08-05', '2026-08-28', '', '已安排至信都区钢铁路小学三年级', ''],
  [W4.id, W4.name, '法律援助', '', '', '已转介', '邢台市信都区法律援助中心', '2026-11-20', '', 'XT-AJ-2026-0031', '10月工资未足额支付，申请法律援助', 'XT-T-001'],
  [W3.id, W3.name, '留守老人', '张德福', '父亲', '已登记', '柏乡县民政局', '2026-06-12', '', '', '独居，患高血压', ''],
], '\t');
utf8(OUT, 'care-broken.csv', [
  CARE_HEADER,
  [W1.id, W1.name, '留守儿童', '', '儿子', '跟进中', '临城县民政局', '2026-07-01', '', '', '', ''], // no family member
  [W2.id, W2.name, '随迁子女入学', '张悦', '女儿', '已办结', '信都区教育局', '2026-08-05', '', '', '', ''], // closed without a date
  [W4.id, W4.name, '法律援助', '', '', '已转介', '', '2026-11-20', '', '', '', ''], // no office
  [W3.id, W3.name, '心理疏导', '张德福', '父亲', '已登记', '柏乡县民政局', '2026-06-12', '', '', '', ''], // unknown kind
]);

// —— the demo city's registries, from its roster ——
interface Entry {
  project: string;
  name: string;
  id: string;
  employer: string;
  uscc: string;
  trade: string;
  entry: string;
  exit: string;
}
const rosterLines = readFileSync(resolve(DEMO, 'roster.csv'), 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l !== '');
const roster: Entry[] = rosterLines.slice(1).map((l) => {
  const c = l.split(',');
  return { project: c[0]!, name: c[1]!, id: c[2]!, employer: c[3]!, uscc: c[4]!, trade: c[6]!, entry: c[7]!, exit: c[8]! };
});
const projectLines = readFileSync(resolve(DEMO, 'projects.csv'), 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l !== '');
const projectHeader = projectLines[0]!.split(',');
const CONTRACTOR: Record<string, { name: string; uscc: string; start: string; completion: string }> = {};
for (const l of projectLines.slice(1)) {
  // naive split is enough for the columns read here (none of them is quoted before 合同金额)
  const c = l.split(',');
  const at = (h: string) => c[projectHeader.indexOf(h)] ?? '';
  CONTRACTOR[at('项目编号')] = { name: at('施工总承包单位'), uscc: at('总承包单位信用代码'), start: '', completion: '' };
}
const firstEntry = new Map<string, string>();
for (const e of roster) if (!firstEntry.has(e.project) || e.entry < firstEntry.get(e.project)!) firstEntry.set(e.project, e.entry);

// insurance: every project insures by project from its first roster day — except
//  · XT-2026-005 (临城县): no work-injury insurance at all → NO_INJURY_INSURANCE for each of its workers
//  · XT-2026-007: one worker's project cover starts a month after entry (uncovered 2026-06-01 … 06-30), and
//    付保国's October stint is covered only by XT-2026-001's project insurance (it does not carry over)
//  · XT-2026-008: insured by the employer (按单位参保), not by project — it counts
//  · XT-2026-006 (completed 2026-09-30): cover ends on completion
const INS = ['身份证号', '姓名', '险种', '参保地', '参保单位', '参保单位信用代码', '参保日期', '截止日期', '按项目参保', '项目编号'];
const insurance: Cells[] = [['邢台市工伤保险按项目参保人员名单'], INS];
const seenPerson = new Set<string>();
for (const e of roster) {
  const c = CONTRACTOR[e.project]!;
  if (e.project === 'XT-2026-005') continue;
  if (e.project === 'XT-2026-007' && e.id === '130506198009022734') continue; // 付保国's second entry
  if (e.project === 'XT-2026-008') {
    insurance.push([e.id, e.name, '工伤保险', '邢台市', e.employer, e.uscc, '2026-01-01', '', '否', '']);
    continue;
  }
  const from = e.project === 'XT-2026-007' && e.name === '严云' ? '2026-07-01' : firstEntry.get(e.project)!;
  const to = e.project === 'XT-2026-006' ? '2026-09-30' : '';
  insurance.push([e.id, e.name, '工伤保险', '邢台市', c.name, c.uscc, from, to, '是', e.project]);
  if (!seenPerson.has(e.id) && e.trade === '塔吊司机') {
    seenPerson.add(e.id);
    insurance.push([e.id, e.name, '养老保险', '邢台市', e.employer, e.uscc, '2020-01-01', '', '否', '']);
    insurance.push([e.id, e.name, '医疗保险', '邢台市', e.employer, e.uscc, '2020-01-01', '', '否', '']);
  }
}
gbk(DEMO, 'insurance.csv', insurance);

// training: tower-crane drivers and electricians hold certificates; a few upgrade courses with subsidies
const TR = ['身份证号', '姓名', '培训项目', '培训类型', '培训机构', '开始日期', '结束日期', '培训结果', '证书类型', '证书编号', '证书职业', '补贴金额', '补贴状态', '项目编号'];
const training: Cells[] = [TR];
let certSeq = 1000;
const done = new Set<string>();
for (const e of roster) {
  if (done.has(e.id)) continue;
  done.add(e.id);
  certSeq++;
  if (e.trade === '塔吊司机') {
    training.push([e.id, e.name, '塔式起重机司机', '岗位技能提升培训', '邢台市建筑技工学校', '2025-11-03', '2025-11-28', '合格', '职业资格证书', `T13050020250${certSeq}`, '塔吊司机', '1500.00', '已发放', '']);
  } else if (e.trade === '电工' && e.project !== 'XT-2026-005') {
    training.push([e.id, e.name, '建筑电工（四级）', '岗位技能提升培训', '邢台市建筑技工学校', '2026-07-06', '2026-07-24', '合格', '职业技能等级证书', `S00001305000026${certSeq}`, '电工', '1200.00', certSeq % 2 === 0 ? '已发放' : '已申请', e.project]);
  } else if (e.trade === '钢筋工' && certSeq % 3 === 0) {
    training.push([e.id, e.name, '钢筋工（五级）', '就业技能培训', '信都区职业培训学校', '2026-08-03', '2026-08-21', certSeq % 2 === 0 ? '合格' : '在训', certSeq % 2 === 0 ? '专项职业能力证书' : '', certSeq % 2 === 0 ? `ZX2026130500${certSeq}` : '', certSeq % 2 === 0 ? '钢筋工' : '', '', '', e.project]);
  }
}
utf8(DEMO, 'training.csv', training);

// housing: English headers, UTF-8 without BOM
const find = (name: string, project: string) => roster.find((e) => e.name === name && e.project === project)!;
const hz = (e: Entry) => [e.id, e.name];
utf8NoBom(DEMO, 'housing.csv', [
  HOUSING_HEADER,
  [...hz(find('陈平', 'XT-2026-001')), '公租房申请', '审核中', '2026-09-15', '', '', '', '4', '是', '8', '河北省劳动模范', '信都区住房保障中心', ''],
  [...hz(find('邹平', 'XT-2026-001')), '公租房申请', '审核中', '2026-09-10', '', '', '', '3', '是', '5', '', '信都区住房保障中心', ''],
  [...hz(find('江俊峰', 'XT-2026-002')), '租赁补贴', '已发放', '2026-06-20', '2026-07-15', '襄都区新华路88号', '450.00', '2', '是', '3', '', '襄都区住房保障中心', ''],
  [...hz(find('周桂兰', 'XT-2026-002')), '公租房配租', '已配租', '2026-03-02', '2026-08-01', '襄都区公租房小区5号楼2单元301', '380.00', '3', '是', '7', '邢台市优秀农民工', '襄都区住房保障中心', ''],
  [...hz(find('袁磊', 'XT-2026-004')), '集体宿舍', '已入住', '2026-06-01', '2026-06-01', 'XT-2026-004项目部生活区1号楼', '', '', '', '', '', '沙河市玻璃产业园项目部', 'XT-2026-004'],
  [...hz(find('任浩', 'XT-2026-004')), '集体宿舍', '已入住', '2026-06-06', '2026-06-06', 'XT-2026-004项目部生活区1号楼', '', '', '', '', '', '沙河市玻璃产业园项目部', 'XT-2026-004'],
  [...hz(find('付强', 'XT-2026-003')), '租赁补贴', '未通过', '2026-07-01', '2026-07-20', '', '', '1', '否', '1', '', '任泽区住房保障中心', ''],
]);

// care: GBK, tab-separated; legal-aid referrals for XT-2026-003's unpaid October wages
const unpaid3 = roster.filter((e) => e.project === 'XT-2026-003').slice(0, 2);
gbk(
  DEMO,
  'care.csv',
  [
    CARE_HEADER,
    [...hz(find('闫长江', 'XT-2026-005')), '留守儿童', '闫小宇', '儿子', '跟进中', '临城县民政局', '2026-06-20', '', '', '在临城县郝庄镇中心小学就读，由祖父母照看', ''],
    [...hz(find('叶广才', 'XT-2026-005')), '留守老人', '叶德旺', '父亲', '已登记', '临城县民政局', '2026-07-02', '', '', '独居，每月探访一次', ''],
    [...hz(find('江俊峰', 'XT-2026-002')), '随迁子女入学', '江雨涵', '女儿', '已办结', '襄都区教育局', '2026-08-01', '2026-08-25', '', '已安排至新华路小学二年级', ''],
    [...hz(find('邹平', 'XT-2026-001')), '留守妇女', '李秀梅', '妻子', '跟进中', '信都区妇联', '2026-07-15', '', '', '', ''],
    ...unpaid3.map((e, i) => [...hz(e), '法律援助', '', '', '已转介', '任泽区法律援助中心', '2026-11-20', '', `XT-AJ-2026-00${41 + i}`, '10月工资未支付，转介法律援助', 'XT-2026-003']),
  ],
  '\t',
);
console.log('registry fixtures written');
