/**
 * 关爱服务 — a row of a care file (docs/REGISTRIES.md "care"): left-behind children, women and elderly of a
 * worker's family, migrant children's schooling, and legal-aid referrals, each with its status and the office
 * responsible. A legal-aid referral is for the worker; every other kind names the family member.
 */
import { parseCellDate, type IsoDate } from '../../domain/date.ts';
import type { IdNumber } from '../../domain/idNumber.ts';
import type { RowReader } from '../../imports/rowReader.ts';
import type { ProjectRef, ProjectRefs } from '../../imports/rows/projectRefs.ts';
import { parseName, parseRef } from '../../imports/values.ts';
import { optionalProject, readPerson } from '../common.ts';
import { parseCareKind, parseCareStatus, type CareKind, type CareStatus } from '../enums.ts';
import { naturalKeyOf, type RegistryWriter } from '../writer.ts';

export interface CareRow {
  readonly idNumber: IdNumber;
  readonly name: string;
  readonly project: ProjectRef | null;
  readonly kind: CareKind;
  readonly memberName: string | null;
  readonly relation: string | null;
  readonly status: CareStatus;
  readonly office: string;
  readonly openedOn: IsoDate;
  readonly closedOn: IsoDate | null;
  readonly caseRef: string | null;
  readonly note: string | null;
}

export function parseCareRow(row: RowReader, projects: ProjectRefs): CareRow | undefined {
  const { idNumber, name } = readPerson(row);
  const kind = row.required('kind', parseCareKind);
  const memberName = row.optional('member_name', parseName);
  const relation = row.optionalText('relation');
  const status = row.required('status', parseCareStatus);
  const office = row.requiredText('office');
  const openedOn = row.required('opened_on', parseCellDate);
  const closedOn = row.optional('closed_on', parseCellDate);
  const caseRef = row.optional('case_ref', parseRef('案件编号'));
  const note = row.optionalText('note');
  const project = optionalProject(row, projects);

  if (kind !== undefined && kind !== 'legal_aid' && !row.has('member_name')) {
    row.fail('member_name', '留守儿童、留守妇女、留守老人和随迁子女入学须填写关爱对象（家庭成员姓名）');
  }
  if (openedOn !== undefined && closedOn !== null && closedOn < openedOn) {
    row.fail('closed_on', `办结日期 ${closedOn} 早于登记日期 ${openedOn}，请核对`);
  }
  if (status === 'closed' && !row.has('closed_on')) row.fail('closed_on', '办理状态为“已办结”时必须填写办结日期');
  if (
    row.failed ||
    idNumber === undefined ||
    name === undefined ||
    kind === undefined ||
    status === undefined ||
    office === undefined ||
    openedOn === undefined ||
    project === undefined
  ) {
    return undefined;
  }
  return { idNumber, name, project, kind, memberName, relation, status, office, openedOn, closedOn, caseRef, note };
}

export const CARE_COLUMNS_SQL = [
  'id_number',
  'name',
  'project_id',
  'kind',
  'member_name',
  'relation',
  'status',
  'office',
  'opened_on',
  'closed_on',
  'case_ref',
  'note',
] as const;

export const careValues = (c: Omit<CareRow, 'project'> & { readonly project: { readonly id: number } | null }): unknown[] => [
  c.idNumber,
  c.name,
  c.project?.id ?? null,
  c.kind,
  c.memberName,
  c.relation,
  c.status,
  c.office,
  c.openedOn,
  c.closedOn,
  c.caseRef,
  c.note,
];

export const careKeyOf = (c: Pick<CareRow, 'idNumber' | 'kind' | 'memberName' | 'openedOn'>): string =>
  naturalKeyOf([c.idNumber, c.kind, c.memberName, c.openedOn]);

export function writeCare(writer: RegistryWriter, c: CareRow, row: RowReader): void {
  writer.put({ idNumber: c.idNumber, name: c.name }, careValues(c), careKeyOf(c), row, (dup, at) =>
    at.fail('opened_on', `与第${dup}行重复：同一人、同一关爱类型、同一关爱对象、同一登记日期只能有一行记录`),
  );
}

export const CARE_TABLE = { table: 'care_records', columns: CARE_COLUMNS_SQL } as const;
