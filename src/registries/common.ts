/** Cells every registry row shares: the worker (身份证号 + 姓名) and an optional project reference. */
import { parseIdNumber, type IdNumber } from '../domain/idNumber.ts';
import { fail, normalizeCell, ok, type Parsed } from '../domain/result.ts';
import type { RowReader } from '../imports/rowReader.ts';
import type { ProjectRef, ProjectRefs } from '../imports/rows/projectRefs.ts';
import { parseName } from '../imports/values.ts';

export function readPerson(row: RowReader): { idNumber: IdNumber | undefined; name: string | undefined } {
  return { idNumber: row.required('id_number', parseIdNumber), name: row.required('name', parseName) };
}

/** 项目编号 when the column is filled: must name a known project. null = not filled; undefined = a problem was recorded. */
export function optionalProject(row: RowReader, projects: ProjectRefs): ProjectRef | null | undefined {
  if (!row.has('project_code')) return null;
  return projects.resolve(row);
}

/** A whole number of people or years, 0–99. */
export function parseSmallCount(label: string): (raw: string) => Parsed<number> {
  return (raw) => {
    const t = normalizeCell(raw).replace(/[人年]$/, '');
    if (!/^\d{1,2}$/.test(t)) return fail(`${label}“${raw.trim()}”应为 0 到 99 之间的整数`);
    return ok(Number(t));
  };
}
