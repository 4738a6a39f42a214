/**
 * 社会保险 — a row of an insurance file (docs/REGISTRIES.md "insurance"). A work-injury row may be
 * 按项目参保 (project-based: the general contractor insures everyone on one project, 人社部令第10号;
 * 人社部发〔2014〕103号) and then names the project; only work-injury insurance is insured by project.
 */
import { parseBool } from '../../domain/bool.ts';
import { parseCellDate, type IsoDate } from '../../domain/date.ts';
import type { IdNumber } from '../../domain/idNumber.ts';
import { parseUscc, type Uscc } from '../../domain/uscc.ts';
import type { RowReader } from '../../imports/rowReader.ts';
import type { ProjectRef, ProjectRefs } from '../../imports/rows/projectRefs.ts';
import { optionalProject, readPerson } from '../common.ts';
import { parseInsuranceKind, type InsuranceKind } from '../enums.ts';
import { naturalKeyOf, type RegistryWriter } from '../writer.ts';

export interface InsuranceRow {
  readonly idNumber: IdNumber;
  readonly name: string;
  readonly kind: InsuranceKind;
  readonly insuredWhere: string;
  readonly insuredBy: string | null;
  readonly insuredByUscc: Uscc | null;
  readonly fromDate: IsoDate;
  readonly toDate: IsoDate | null;
  readonly projectBased: boolean;
  readonly project: ProjectRef | null;
}

export function parseInsuranceRow(row: RowReader, projects: ProjectRefs): InsuranceRow | undefined {
  const { idNumber, name } = readPerson(row);
  const kind = row.required('kind', parseInsuranceKind);
  const insuredWhere = row.requiredText('insured_where');
  const insuredBy = row.optionalText('insured_by');
  const insuredByUscc = row.optional('insured_by_uscc', parseUscc);
  const fromDate = row.required('from_date', parseCellDate);
  const toDate = row.optional('to_date', parseCellDate);
  const projectBased = row.optional('project_based', (raw) => parseBool(raw, false)) ?? false;
  const project = optionalProject(row, projects);

  if (fromDate !== undefined && toDate !== null && toDate < fromDate) {
    row.fail('to_date', `截止日期 ${toDate} 早于参保日期 ${fromDate}，请核对`);
  }
  if (projectBased && kind !== undefined && kind !== 'injury') {
    row.fail('project_based', '只有工伤保险可以按项目参保：医疗、养老、失业保险请填“否”');
  }
  if (projectBased && !row.has('project_code')) {
    row.fail('project_code', '按项目参保的工伤保险必须填写项目编号（为哪个项目参保）');
  }
  if (
    row.failed ||
    idNumber === undefined ||
    name === undefined ||
    kind === undefined ||
    insuredWhere === undefined ||
    fromDate === undefined ||
    project === undefined
  ) {
    return undefined;
  }
  return { idNumber, name, kind, insuredWhere, insuredBy, insuredByUscc, fromDate, toDate, projectBased, project };
}

const COLUMNS = ['id_number', 'name', 'kind', 'insured_where', 'insured_by', 'insured_by_uscc', 'from_date', 'to_date', 'project_based', 'project_id'] as const;

export function writeInsurance(writer: RegistryWriter, r: InsuranceRow, row: RowReader): void {
  writer.put(
    { idNumber: r.idNumber, name: r.name },
    [r.idNumber, r.name, r.kind, r.insuredWhere, r.insuredBy, r.insuredByUscc, r.fromDate, r.toDate, r.projectBased ? 1 : 0, r.project?.id ?? null],
    naturalKeyOf([r.idNumber, r.kind, r.fromDate, r.project?.code]),
    row,
    (dup, at) => at.fail('from_date', `与第${dup}行重复：同一人、同一险种、同一参保日期（同一项目）只能有一行参保记录`),
  );
}

export const INSURANCE_TABLE = { table: 'insurance_records', columns: COLUMNS } as const;
