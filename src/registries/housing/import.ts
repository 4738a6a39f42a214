/**
 * 住房保障 — a row of a housing file (docs/REGISTRIES.md "housing"): public rental housing applications and
 * allocations, rent subsidies, collective dormitories, with the eligibility facts and honours (a worker
 * with honours is served first).
 */
import { parseBool } from '../../domain/bool.ts';
import { parseCellDate, type IsoDate } from '../../domain/date.ts';
import type { IdNumber } from '../../domain/idNumber.ts';
import type { Fen } from '../../domain/money.ts';
import type { RowReader } from '../../imports/rowReader.ts';
import type { ProjectRef, ProjectRefs } from '../../imports/rows/projectRefs.ts';
import { parseNonNegativeYuan } from '../../imports/values.ts';
import { optionalProject, parseSmallCount, readPerson } from '../common.ts';
import { parseHousingKind, parseHousingStatus, type HousingKind, type HousingStatus } from '../enums.ts';
import { naturalKeyOf, type RegistryWriter } from '../writer.ts';

export interface HousingRow {
  readonly idNumber: IdNumber;
  readonly name: string;
  readonly project: ProjectRef | null;
  readonly kind: HousingKind;
  readonly status: HousingStatus;
  readonly appliedOn: IsoDate;
  readonly decidedOn: IsoDate | null;
  readonly address: string | null;
  readonly amountFen: Fen | null;
  readonly householdSize: number | null;
  readonly noLocalHousing: boolean | null;
  readonly yearsInCity: number | null;
  readonly honours: string | null;
  readonly office: string | null;
}

/** statuses that are a decision: they need the day it was taken */
const DECIDED: readonly HousingStatus[] = ['approved', 'allocated', 'rejected', 'ended'];

export function parseHousingRow(row: RowReader, projects: ProjectRefs): HousingRow | undefined {
  const { idNumber, name } = readPerson(row);
  const kind = row.required('kind', parseHousingKind);
  const status = row.required('status', parseHousingStatus);
  const appliedOn = row.required('applied_on', parseCellDate);
  const decidedOn = row.optional('decided_on', parseCellDate);
  const address = row.optionalText('address');
  const amountFen = row.optional('amount', parseNonNegativeYuan);
  const householdSize = row.optional('household_size', parseSmallCount('家庭人数'));
  const noLocalHousing = row.has('no_local_housing') ? row.optional('no_local_housing', (raw) => parseBool(raw, false)) : null;
  const yearsInCity = row.optional('years_in_city', parseSmallCount('本地工作年限'));
  const honours = row.optionalText('honours');
  const office = row.optionalText('office');
  const project = optionalProject(row, projects);

  if (appliedOn !== undefined && decidedOn !== null && decidedOn < appliedOn) {
    row.fail('decided_on', `办结日期 ${decidedOn} 早于申请日期 ${appliedOn}，请核对`);
  }
  if (status !== undefined && DECIDED.includes(status) && !row.has('decided_on')) {
    row.fail('decided_on', '办理状态为已批准、已配租、未通过或已退出时必须填写办结日期');
  }
  if (kind === 'rent_subsidy' && (status === 'approved' || status === 'allocated') && (amountFen === null || amountFen === 0)) {
    row.fail('amount', '已批准或已发放的租赁补贴必须填写大于0的补贴金额（元/月）');
  }
  if (
    row.failed ||
    idNumber === undefined ||
    name === undefined ||
    kind === undefined ||
    status === undefined ||
    appliedOn === undefined ||
    project === undefined
  ) {
    return undefined;
  }
  return { idNumber, name, project, kind, status, appliedOn, decidedOn, address, amountFen, householdSize, noLocalHousing, yearsInCity, honours, office };
}

const COLUMNS = [
  'id_number',
  'name',
  'project_id',
  'kind',
  'status',
  'applied_on',
  'decided_on',
  'address',
  'amount_fen',
  'household_size',
  'no_local_housing',
  'years_in_city',
  'honours',
  'office',
] as const;

export function writeHousing(writer: RegistryWriter, h: HousingRow, row: RowReader): void {
  writer.put(
    { idNumber: h.idNumber, name: h.name },
    [
      h.idNumber,
      h.name,
      h.project?.id ?? null,
      h.kind,
      h.status,
      h.appliedOn,
      h.decidedOn,
      h.address,
      h.amountFen,
      h.householdSize,
      h.noLocalHousing === null ? null : h.noLocalHousing ? 1 : 0,
      h.yearsInCity,
      h.honours,
      h.office,
    ],
    naturalKeyOf([h.idNumber, h.kind, h.appliedOn]),
    row,
    (dup, at) => at.fail('applied_on', `与第${dup}行重复：同一人、同一业务类型、同一申请日期只能有一行住房保障记录`),
  );
}

export const HOUSING_TABLE = { table: 'housing_records', columns: COLUMNS } as const;
