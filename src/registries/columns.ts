/**
 * The columns of the registry import kinds (docs/REGISTRIES.md): Chinese name, English name, whether
 * required, and the aliases real exports from the 人社 and 住建 systems use. Same rules as the core kinds
 * (src/imports/columns.ts): an alias means exactly this column and nothing else.
 */
import type { ColumnSpec } from '../imports/columns.ts';

const col = <K extends string>(key: K, zh: string, required: boolean, aliases: readonly string[] = []): ColumnSpec & { readonly key: K } => ({
  key,
  zh,
  en: key,
  required,
  aliases,
});

const ID_NUMBER = col('id_number', '身份证号', true, ['身份证号码', '公民身份号码', '身份证']);
const NAME = col('name', '姓名', true, ['工人姓名', '学员姓名', '参保人姓名', '申请人姓名']);
const PROJECT_CODE = col('project_code', '项目编号', false, ['项目编码', '项目代码', '工程编号']);

/** 职业技能培训 — training */
export const TRAINING_COLUMNS = [
  ID_NUMBER,
  NAME,
  col('course', '培训项目', true, ['培训课程', '培训名称', '培训专业']),
  col('training_type', '培训类型', true, ['培训类别']),
  col('provider', '培训机构', true, ['培训单位', '培训机构名称']),
  col('start_date', '开始日期', true, ['培训开始日期', '开班日期']),
  col('end_date', '结束日期', false, ['培训结束日期', '结业日期']),
  col('result', '培训结果', false, ['考核结果', '结业情况']),
  col('certificate_kind', '证书类型', false, ['证书种类']),
  col('certificate_no', '证书编号', false, ['证书号', '证书号码']),
  col('certificate_trade', '证书职业', false, ['证书工种', '职业（工种）', '职业(工种)']),
  col('subsidy_amount', '补贴金额', false, ['培训补贴', '补贴金额(元)']),
  col('subsidy_status', '补贴状态', false, ['补贴发放状态']),
  PROJECT_CODE,
] as const satisfies readonly ColumnSpec[];

/** 社会保险 — insurance */
export const INSURANCE_COLUMNS = [
  ID_NUMBER,
  NAME,
  col('kind', '险种', true, ['参保险种', '保险类型']),
  col('insured_where', '参保地', true, ['参保地区', '参保统筹区']),
  col('insured_by', '参保单位', false, ['参保单位名称', '缴费单位']),
  col('insured_by_uscc', '参保单位信用代码', false, ['参保单位统一社会信用代码']),
  col('from_date', '参保日期', true, ['参保起始日期', '起保日期', '开始日期']),
  col('to_date', '截止日期', false, ['参保截止日期', '终止日期', '停保日期']),
  col('project_based', '按项目参保', false, ['是否按项目参保', '项目参保']),
  PROJECT_CODE,
] as const satisfies readonly ColumnSpec[];

/** 住房保障 — housing */
export const HOUSING_COLUMNS = [
  ID_NUMBER,
  NAME,
  col('kind', '业务类型', true, ['保障类型', '住房保障类型']),
  col('status', '办理状态', true, ['状态', '审核状态']),
  col('applied_on', '申请日期', true),
  col('decided_on', '办结日期', false, ['审批日期', '配租日期']),
  col('address', '房源地址', false, ['住房地址', '宿舍地址', '地址']),
  col('amount', '金额', false, ['月租金', '补贴金额', '租赁补贴金额']),
  col('household_size', '家庭人数', false, ['家庭人口']),
  col('no_local_housing', '本地无住房', false, ['本地无自有住房', '无自有住房']),
  col('years_in_city', '本地工作年限', false, ['在本市工作年限', '工作年限']),
  col('honours', '荣誉称号', false, ['获得荣誉', '荣誉']),
  col('office', '经办单位', false, ['经办机构', '受理单位']),
  PROJECT_CODE,
] as const satisfies readonly ColumnSpec[];

/** 关爱服务 — care */
export const CARE_COLUMNS = [
  ID_NUMBER,
  NAME,
  col('kind', '关爱类型', true, ['服务类型', '关爱服务类型']),
  col('member_name', '关爱对象', false, ['对象姓名', '家庭成员姓名']),
  col('relation', '与本人关系', false, ['关系']),
  col('status', '办理状态', true, ['状态']),
  col('office', '责任单位', true, ['负责单位', '承办单位']),
  col('opened_on', '登记日期', true, ['受理日期', '转介日期']),
  col('closed_on', '办结日期', false),
  col('case_ref', '案件编号', false, ['关联案件编号', '案号']),
  col('note', '说明', false, ['备注说明', '情况说明']),
  PROJECT_CODE,
] as const satisfies readonly ColumnSpec[];

export const REGISTRY_COLUMNS = {
  training: TRAINING_COLUMNS,
  insurance: INSURANCE_COLUMNS,
  housing: HOUSING_COLUMNS,
  care: CARE_COLUMNS,
} as const;
