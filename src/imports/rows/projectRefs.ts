/**
 * Reference check shared by every kind but projects: a row's 项目编号 must name a project already in
 * the database (DATA-FORMATS.md). The code → id map is the one thing held in memory for the whole file;
 * a city has thousands of projects, not millions.
 */
import type { Store } from '../../store/store.ts';
import type { RowReader } from '../rowReader.ts';
import { normalizeCode } from '../values.ts';

export interface ProjectRef {
  readonly id: number;
  readonly code: string;
}

export class ProjectRefs {
  private readonly byCode = new Map<string, ProjectRef>();
  private readonly byUpper = new Map<string, string>();

  private constructor(rows: readonly ProjectRef[]) {
    for (const r of rows) {
      this.byCode.set(r.code, r);
      this.byUpper.set(r.code.toUpperCase(), r.code);
    }
  }

  /** Every project of the database (read in the import's transaction). */
  static async load(store: Store): Promise<ProjectRefs> {
    return new ProjectRefs((await store.facts.projectIndex()).map(({ id, code }) => ({ id, code })));
  }

  /** The project a row names, or undefined with a problem recorded on its 项目编号 cell. */
  resolve(row: RowReader, key = 'project_code'): ProjectRef | undefined {
    const code = normalizeCode(row.raw(key));
    if (code === '') {
      row.fail(key, `“${row.header(key)}”是必填项，不能为空`);
      return undefined;
    }
    const ref = this.byCode.get(code);
    if (ref) return ref;
    const near = this.byUpper.get(code.toUpperCase());
    row.fail(
      key,
      near !== undefined
        ? `项目编号“${code}”不存在，是否应为“${near}”？（项目编号区分大小写）`
        : `项目编号“${code}”不存在：请先导入该项目的工程项目表（projects），或核对项目编号`,
    );
    return undefined;
  }
}
