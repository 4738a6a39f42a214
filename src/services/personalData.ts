/**
 * 个人信息导出 — everything Huxin holds about one worker, by identity number, for a supervisor answering
 * a worker's (or a court's, or the bureau's) request (docs/PRIVACY.md). Read-only, apart from the audit
 * entry that records who exported whose data and why: the export itself holds full numbers, so it is
 * written to a file the supervisor names (or stdout), never to a log.
 *
 * Rows are returned as stored, current and superseded alike (superseded rows are part of the ledger
 * history the regulation requires to be kept), each with the file and line it came from.
 */
import { bumpProjects } from '../db/versions.ts';
import { recordAudit } from '../api/audit.ts';
import type { Db } from '../db/open.ts';
import { addYears, type IsoDate } from '../domain/date.ts';
import { parseIdNumber } from '../domain/idNumber.ts';
import { yuanText, type Fen } from '../domain/money.ts';
import { paramsOf } from './params.ts';

export interface WorkerExport {
  readonly idNumber: string;
  readonly exportedAt: string;
  readonly exportedBy: string;
  readonly reason: string | null;
  /** table name → rows (as stored); every table that names the worker is listed, empty or not */
  readonly tables: Readonly<Record<string, readonly Record<string, unknown>[]>>;
  readonly rowCount: number;
}

/**
 * The tables that hold a worker's personal data: every table with an `id_number` column (found in the
 * schema, so a registry added later is exported too), with the project code and the source file when the
 * table has them; and the flag reviews, whose fingerprint holds the identity number between '|' separators.
 */
function queriesFor(sqlite: Db['$client']): Record<string, string> {
  const tables = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  const out: Record<string, string> = {};
  for (const t of tables) {
    const cols = new Set((sqlite.prepare(`PRAGMA table_info("${t.replaceAll('"', '""')}")`).all() as { name: string }[]).map((c) => c.name));
    if (!cols.has('id_number')) continue;
    const q = `"${t.replaceAll('"', '""')}"`;
    const project = cols.has('project_id') ? ', (SELECT code FROM projects p WHERE p.id = x.project_id) AS project_code' : '';
    const source = cols.has('batch_id') ? ', (SELECT file_name FROM import_batches b WHERE b.id = x.batch_id) AS source_file' : '';
    out[t] = `SELECT x.*${project}${source} FROM ${q} x WHERE x.id_number = ? ORDER BY x.rowid`;
  }
  out.flag_reviews = `SELECT * FROM flag_reviews WHERE '|' || fingerprint || '|' LIKE '%|' || ? || '|%' ORDER BY fingerprint`;
  return out;
}

export class PersonalDataError extends Error {}

export function exportWorkerData(db: Db, input: { idNumber: string; actor: string; now: string; reason?: string | null }): WorkerExport {
  const parsed = parseIdNumber(input.idNumber);
  if (!parsed.ok) throw new PersonalDataError(parsed.reason);
  const id = parsed.value as string;
  const sqlite = db.$client;
  const tables: Record<string, Record<string, unknown>[]> = {};
  let rowCount = 0;
  sqlite.transaction(() => {
    for (const [table, sql] of Object.entries(queriesFor(sqlite))) {
      tables[table] = sqlite.prepare(sql).all(id) as Record<string, unknown>[];
      rowCount += tables[table].length;
    }
    recordAudit(db, {
      at: input.now,
      actor: input.actor,
      action: 'export_personal_data',
      entity: 'worker',
      entityId: id, // masked by recordAudit
      reason: input.reason ?? null,
      detail: { rows: rowCount, tables: Object.fromEntries(Object.entries(tables).map(([k, v]) => [k, v.length])) },
    });
  })();
  return { idNumber: id, exportedAt: input.now, exportedBy: input.actor, reason: input.reason ?? null, tables, rowCount };
}

// ——————————————————————————————— erasure (删除个人信息) ———————————————————————————————

/**
 * The tables this command erases from: the project's labour and wage ledgers the retention rule covers, and
 * the findings derived from them (with the reviews of those findings). Everything else that names a worker
 * stays: the registries (training, insurance, housing, care) follow their own rules, enforcement records
 * (orders, cases, blacklist) are administrative files kept under the archives rules, and the audit log is
 * the record of every write — this erasure included.
 */
const ERASABLE = new Set(['roster_entries', 'payroll_rows', 'payments', 'finding_versions']);

export interface ErasureProject {
  readonly projectId: number;
  readonly code: string;
  /** the worker's rows on this project may be erased today */
  readonly eligible: boolean;
  /** why (in Chinese): the day the retention term ends, or what keeps the rows */
  readonly reason: string;
  /** the first day the rows may be erased (null while the works are unfinished or wages are owed) */
  readonly erasableFrom: string | null;
  /** rows per table on this project */
  readonly rows: Readonly<Record<string, number>>;
}

export interface ErasurePlan {
  readonly idNumber: string;
  readonly today: string;
  readonly projects: readonly ErasureProject[];
  /** rows that stay whatever the projects' terms: registries, enforcement records (see ERASABLE) */
  readonly kept: Readonly<Record<string, number>>;
}

export interface ErasureResult extends ErasurePlan {
  /** rows erased per table (empty for a plan only) */
  readonly erased: Readonly<Record<string, number>>;
  /** the worker's name row was removed (nothing else names the worker any more) */
  readonly workerRemoved: boolean;
}

function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Tables with an id_number column, and whether each has a project_id. */
function personalTables(sqlite: Db['$client']): { name: string; perProject: boolean }[] {
  const tables = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  const out: { name: string; perProject: boolean }[] = [];
  for (const t of tables) {
    const cols = new Set((sqlite.prepare(`PRAGMA table_info(${quoted(t)})`).all() as { name: string }[]).map((c) => c.name));
    if (cols.has('id_number')) out.push({ name: t, perProject: cols.has('project_id') });
  }
  return out;
}

/**
 * 删除计划 — which of a worker's rows may be erased today, project by project: a project qualifies once it is
 * completed, every wage on it is paid (each current wage-table line paid in full by today), and
 * the retention term (the dated parameter ledgerRetention: 3 years) has passed since the later of its
 * completion date and its last wage payment (the
 * day its wages were settled).
 */
export function planErasure(db: Db, idNumber: string, today: IsoDate): ErasurePlan {
  const parsed = parseIdNumber(idNumber);
  if (!parsed.ok) throw new PersonalDataError(parsed.reason);
  const id = parsed.value as string;
  const sqlite = db.$client;
  const tables = personalTables(sqlite);
  const perProject = new Map<number, Record<string, number>>();
  const kept: Record<string, number> = {};
  for (const t of tables) {
    if (t.perProject && ERASABLE.has(t.name)) {
      for (const r of sqlite.prepare(`SELECT project_id, count(*) AS n FROM ${quoted(t.name)} WHERE id_number = ? GROUP BY project_id`).all(id) as { project_id: number | null; n: number }[]) {
        if (r.project_id === null) kept[t.name] = (kept[t.name] ?? 0) + r.n;
        else {
          const rows = perProject.get(r.project_id) ?? {};
          rows[t.name] = r.n;
          perProject.set(r.project_id, rows);
        }
      }
    } else if (t.name !== 'workers') {
      const { n } = sqlite.prepare(`SELECT count(*) AS n FROM ${quoted(t.name)} WHERE id_number = ?`).get(id) as { n: number };
      if (n > 0) kept[t.name] = n;
    }
  }
  // 保存期限: the dated parameter in force today, with its articles (params/wages/ledgerRetention.yaml, laid over by the bureau's imports)
  const retention = paramsOf(db).ledgerRetention.at(today);
  const years = retention.value.years;
  const basis = `《${retention.source.document}》${retention.source.article ?? ''}`;
  const projects: ErasureProject[] = [];
  for (const [projectId, rows] of [...perProject].sort((a, b) => a[0] - b[0])) {
    const p = sqlite.prepare('SELECT code, completion_date FROM projects WHERE id = ?').get(projectId) as { code: string; completion_date: string | null } | undefined;
    const code = p?.code ?? `#${projectId}`;
    const judge = (): Omit<ErasureProject, 'projectId' | 'code' | 'rows'> => {
      if (!p) return { eligible: true, erasableFrom: null, reason: '项目已不存在，行已无所依附' };
      if (!p.completion_date || p.completion_date > today) return { eligible: false, erasableFrom: null, reason: `项目尚未竣工，用工和工资台账须保存至完工且工资结清后${years}年（${basis}）` };
      // wages settled: every current wage-table line of the project is paid in full by today (every due date
      // of a project completed years ago has passed, so this is "no arrears" without needing the holiday
      // calendar of those years)
      const { owed } = sqlite
        .prepare(
          `SELECT coalesce(sum(max(0, r.net_fen - coalesce((SELECT sum(x.amount_fen) FROM payments x
              WHERE x.project_id = r.project_id AND x.month = r.month AND x.id_number = r.id_number
                AND x.superseded_by IS NULL AND x.paid_on <= @today), 0))), 0) AS owed
             FROM payroll_rows r WHERE r.project_id = @id AND r.superseded_by IS NULL`,
        )
        .get({ id: projectId, today }) as { owed: number };
      if (owed > 0) return { eligible: false, erasableFrom: null, reason: `项目仍有未付工资 ${yuanText(owed as Fen)} 元，工资未结清（${basis}）` };
      const { last } = sqlite.prepare('SELECT max(paid_on) AS last FROM payments WHERE project_id = ? AND superseded_by IS NULL AND paid_on <= ?').get(projectId, today) as { last: string | null };
      const settled = last !== null && last > p.completion_date ? (last as IsoDate) : (p.completion_date as IsoDate);
      const from = addYears(settled, years);
      return from <= today
        ? { eligible: true, erasableFrom: from, reason: `已竣工（${p.completion_date}），工资于 ${settled} 前结清，保存期满 ${years} 年（${from} 起可删除；${basis}）` }
        : { eligible: false, erasableFrom: from, reason: `保存期未满：${from} 起方可删除（完工或工资结清后${years}年，${basis}）` };
    };
    projects.push({ projectId, code, rows, ...judge() });
  }
  return { idNumber: id, today, projects, kept };
}

/**
 * 删除个人信息 — erases a worker's rows on the projects whose retention term has passed (planErasure), in one
 * transaction with its audit entry (masked number, reason, counts). Rows on other projects, registries
 * without a project and enforcement records stay; the worker's name row goes only when nothing names the
 * worker any more. A supervisor's decision: the CLI asks for --confirm and a reason.
 */
export function eraseWorkerData(db: Db, input: { idNumber: string; actor: string; now: string; today: IsoDate; reason: string }): ErasureResult {
  const sqlite = db.$client;
  return sqlite.transaction(() => {
    const plan = planErasure(db, input.idNumber, input.today);
    const id = plan.idNumber;
    const erased: Record<string, number> = {};
    const eligible = plan.projects.filter((p) => p.eligible);
    for (const t of personalTables(sqlite)) {
      if (!t.perProject || !ERASABLE.has(t.name)) continue;
      const del = sqlite.prepare(`DELETE FROM ${quoted(t.name)} WHERE id_number = ? AND project_id = ?`);
      for (const p of eligible) {
        const n = del.run(id, p.projectId).changes;
        if (n > 0) erased[t.name] = (erased[t.name] ?? 0) + n;
      }
    }
    // the projects' facts changed: the next night re-evaluates them; their fact snapshots (which hold the
    // worker's rows) go, to be rebuilt from the rows
    bumpProjects(sqlite, eligible.map((p) => p.projectId));
    const snapshot = sqlite.prepare('DELETE FROM fact_snapshots WHERE project_id = ?');
    for (const p of eligible) snapshot.run(p.projectId);
    // a review's fingerprint is code|project code|identity number|month|detail
    const review = sqlite.prepare("DELETE FROM flag_reviews WHERE fingerprint LIKE '%|' || ? || '|' || ? || '|%'");
    for (const p of eligible) {
      const n = review.run(p.code, id).changes;
      if (n > 0) erased.flag_reviews = (erased.flag_reviews ?? 0) + n;
    }
    let stillNamed = false;
    for (const t of personalTables(sqlite)) {
      if (t.name === 'workers') continue;
      if (sqlite.prepare(`SELECT 1 FROM ${quoted(t.name)} WHERE id_number = ? LIMIT 1`).get(id) !== undefined) stillNamed = true;
    }
    const workerRemoved = !stillNamed && sqlite.prepare('DELETE FROM workers WHERE id_number = ?').run(id).changes > 0;
    recordAudit(db, {
      at: input.now,
      actor: input.actor,
      action: 'erase_personal_data',
      entity: 'worker',
      entityId: id, // masked by recordAudit
      reason: input.reason,
      detail: { erased, workerRemoved, projects: plan.projects.map((p) => ({ code: p.code, eligible: p.eligible, erasableFrom: p.erasableFrom })) },
    });
    return { ...plan, erased, workerRemoved };
  }).immediate();
}
