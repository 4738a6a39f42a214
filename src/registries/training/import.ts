/** 职业技能培训 — a row of a training file (docs/REGISTRIES.md "training"). */
import { parseCellDate, type IsoDate } from '../../domain/date.ts';
import type { IdNumber } from '../../domain/idNumber.ts';
import type { Fen } from '../../domain/money.ts';
import type { RowReader } from '../../imports/rowReader.ts';
import type { ProjectRef, ProjectRefs } from '../../imports/rows/projectRefs.ts';
import { parseNonNegativeYuan, parseRef } from '../../imports/values.ts';
import { optionalProject, readPerson } from '../common.ts';
import {
  parseCertificateKind,
  parseSubsidyStatus,
  parseTrainingResult,
  parseTrainingType,
  type CertificateKind,
  type SubsidyStatus,
  type TrainingResult,
  type TrainingType,
} from '../enums.ts';
import { naturalKeyOf, RegistryWriter } from '../writer.ts';

export interface TrainingRow {
  readonly idNumber: IdNumber;
  readonly name: string;
  readonly project: ProjectRef | null;
  readonly course: string;
  readonly trainingType: TrainingType;
  readonly provider: string;
  readonly startDate: IsoDate;
  readonly endDate: IsoDate | null;
  readonly result: TrainingResult | null;
  readonly certificateKind: CertificateKind | null;
  readonly certificateNo: string | null;
  readonly certificateTrade: string | null;
  readonly subsidyFen: Fen | null;
  readonly subsidyStatus: SubsidyStatus | null;
}

export function parseTrainingRow(row: RowReader, projects: ProjectRefs): TrainingRow | undefined {
  const { idNumber, name } = readPerson(row);
  const course = row.requiredText('course');
  const trainingType = row.required('training_type', parseTrainingType);
  const provider = row.requiredText('provider');
  const startDate = row.required('start_date', parseCellDate);
  const endDate = row.optional('end_date', parseCellDate);
  const result = row.optional('result', parseTrainingResult);
  const certificateKind = row.optional('certificate_kind', parseCertificateKind);
  const certificateNo = row.optional('certificate_no', parseRef('证书编号'));
  const certificateTrade = row.optionalText('certificate_trade');
  const subsidyFen = row.optional('subsidy_amount', parseNonNegativeYuan);
  const subsidyStatus = row.optional('subsidy_status', parseSubsidyStatus);
  const project = optionalProject(row, projects);

  if (startDate !== undefined && endDate !== null && endDate < startDate) {
    row.fail('end_date', `结束日期 ${endDate} 早于开始日期 ${startDate}，请核对`);
  }
  if (row.has('certificate_kind') !== row.has('certificate_no')) {
    if (row.has('certificate_kind')) row.fail('certificate_no', '填写了证书类型时必须填写证书编号');
    else row.fail('certificate_kind', '填写了证书编号时必须填写证书类型（职业资格证书、职业技能等级证书、专项职业能力证书之一）');
  }
  if (certificateKind !== null && result !== null && result !== 'passed') {
    row.fail('result', `培训结果为“${result === 'failed' ? '不合格' : '在训'}”，却登记了证书：取得证书的培训结果应为“合格”，请核对`);
  }
  if (subsidyStatus === 'paid' && (subsidyFen === null || subsidyFen === 0)) {
    row.fail('subsidy_amount', '补贴状态为“已发放”时必须填写大于0的补贴金额');
  }
  if (subsidyFen !== null && subsidyFen > 0 && !row.has('subsidy_status')) {
    row.fail('subsidy_status', '填写了补贴金额时必须填写补贴状态（未申请、已申请、已发放、未通过之一）');
  }
  if (
    row.failed ||
    idNumber === undefined ||
    name === undefined ||
    course === undefined ||
    trainingType === undefined ||
    provider === undefined ||
    startDate === undefined ||
    project === undefined
  ) {
    return undefined;
  }
  return {
    idNumber,
    name,
    project,
    course,
    trainingType,
    provider,
    startDate,
    endDate,
    result,
    certificateKind,
    certificateNo,
    certificateTrade,
    subsidyFen,
    subsidyStatus,
  };
}

const COLUMNS = [
  'id_number',
  'name',
  'project_id',
  'course',
  'training_type',
  'provider',
  'start_date',
  'end_date',
  'result',
  'certificate_kind',
  'certificate_no',
  'certificate_trade',
  'subsidy_fen',
  'subsidy_status',
] as const;

export function writeTraining(writer: RegistryWriter, t: TrainingRow, row: RowReader): void {
  writer.put(
    { idNumber: t.idNumber, name: t.name },
    [t.idNumber, t.name, t.project?.id ?? null, t.course, t.trainingType, t.provider, t.startDate, t.endDate, t.result, t.certificateKind, t.certificateNo, t.certificateTrade, t.subsidyFen, t.subsidyStatus],
    naturalKeyOf([t.idNumber, t.course, t.startDate]),
    row,
    (dup, at) => at.fail('course', `与第${dup}行重复：同一人、同一培训项目、同一开始日期只能有一行培训记录`),
  );
}

export const TRAINING_TABLE = { table: 'training_records', columns: COLUMNS } as const;
