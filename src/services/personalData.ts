/**
 * 个人信息导出 — everything Huxin holds about one worker, by identity number, for a supervisor answering
 * a worker's (or a court's, or the bureau's) request (docs/PRIVACY.md). Read-only, apart from the audit
 * entry that records who exported whose data and why: the export itself holds full numbers, so it is
 * written to a file the supervisor names (or stdout), never to a log.
 *
 * Rows are returned as stored, current and superseded alike (superseded rows are part of the ledger
 * history the regulation requires to be kept), each with the file and line it came from.
 */
import { randomUUID } from 'node:crypto';
import { appendAudit } from '../api/audit.ts';
import { addYears, type IsoDate } from '../domain/date.ts';
import { parseIdNumber } from '../domain/idNumber.ts';
import { yuanText, type Fen } from '../domain/money.ts';
import type { Store } from '../store/store.ts';
import { paramsOfStore } from './params.ts';
import { withoutWorker } from '../reports/part.ts';

export interface WorkerExport {
  readonly idNumber: string;
  readonly exportedAt: string;
  readonly exportedBy: string;
  readonly reason: string | null;
  /** table name → rows (as stored); every table that names the worker is listed, empty or not */
  readonly tables: Readonly<Record<string, readonly Record<string, unknown>[]>>;
  readonly rowCount: number;
}

export class PersonalDataError extends Error {}

/**
 * The worker's rows of every table that holds personal data (every table with an `id_number` column, found
 * in the schema, so a registry added later is exported too; store/repos/personalData.ts), with the project
 * code and the source file when the table has them; and the flag reviews, whose fingerprint holds the
 * identity number. Read in one transaction with its audit entry.
 */
export async function exportWorkerData(store: Store, input: { idNumber: string; actor: string; now: string; reason?: string | null }): Promise<WorkerExport> {
  const parsed = parseIdNumber(input.idNumber);
  if (!parsed.ok) throw new PersonalDataError(parsed.reason);
  const id = parsed.value as string;
  const tables: Record<string, Record<string, unknown>[]> = {};
  let rowCount = 0;
  await store.tx(async (tx) => {
    for (const t of await tx.personalData.tables()) {
      tables[t.name] = await tx.personalData.rowsOf(t, id);
      rowCount += tables[t.name]!.length;
    }
    tables.flag_reviews = await tx.personalData.reviewsOf(id);
    rowCount += tables.flag_reviews.length;
    await appendAudit(tx, {
      at: input.now,
      actor: input.actor,
      action: 'export_personal_data',
      entity: 'worker',
      entityId: id, // masked by appendAudit
      reason: input.reason ?? null,
      detail: { rows: rowCount, tables: Object.fromEntries(Object.entries(tables).map(([k, v]) => [k, v.length])) },
    });
  });
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

/**
 * 删除计划 — which of a worker's rows may be erased today, project by project: a project qualifies once it is
 * completed, every wage on it is paid (each current wage-table line paid in full by today), and
 * the retention term (the dated parameter ledgerRetention: 3 years) has passed since the later of its
 * completion date and its last wage payment (the
 * day its wages were settled).
 */
export async function planErasure(store: Store, idNumber: string, today: IsoDate): Promise<ErasurePlan> {
  const parsed = parseIdNumber(idNumber);
  if (!parsed.ok) throw new PersonalDataError(parsed.reason);
  const id = parsed.value as string;
  const repo = store.personalData;
  const perProject = new Map<number, Record<string, number>>();
  const kept: Record<string, number> = {};
  for (const t of await repo.tables()) {
    if (t.perProject && ERASABLE.has(t.name)) {
      for (const r of await repo.countsByProject(t.name, id)) {
        if (r.projectId === null) kept[t.name] = (kept[t.name] ?? 0) + r.n;
        else {
          const rows = perProject.get(r.projectId) ?? {};
          rows[t.name] = r.n;
          perProject.set(r.projectId, rows);
        }
      }
    } else if (t.name !== 'workers') {
      const n = await repo.count(t.name, id);
      if (n > 0) kept[t.name] = n;
    }
  }
  // 保存期限: the dated parameter in force today, with its articles (params/wages/ledgerRetention.yaml, laid over by the bureau's imports)
  const retention = (await paramsOfStore(store)).ledgerRetention.at(today);
  const years = retention.value.years;
  const basis = `《${retention.source.document}》${retention.source.article ?? ''}`;
  const projects: ErasureProject[] = [];
  for (const [projectId, rows] of [...perProject].sort((a, b) => a[0] - b[0])) {
    const p = await repo.project(projectId);
    const code = p?.code ?? `#${projectId}`;
    const judge = async (): Promise<Omit<ErasureProject, 'projectId' | 'code' | 'rows'>> => {
      if (!p) return { eligible: true, erasableFrom: null, reason: '项目已不存在，行已无所依附' };
      if (!p.completionDate || p.completionDate > today) return { eligible: false, erasableFrom: null, reason: `项目尚未竣工，用工和工资台账须保存至完工且工资结清后${years}年（${basis}）` };
      // wages settled: every current wage-table line of the project is paid in full by today (every due date
      // of a project completed years ago has passed, so this is "no arrears" without needing the holiday
      // calendar of those years)
      const owed = await repo.owed(projectId, today);
      if (owed > 0) return { eligible: false, erasableFrom: null, reason: `项目仍有未付工资 ${yuanText(owed as Fen)} 元，工资未结清（${basis}）` };
      const last = await repo.lastPayment(projectId, today);
      const settled = last !== null && last > p.completionDate ? (last as IsoDate) : (p.completionDate as IsoDate);
      const from = addYears(settled, years);
      return from <= today
        ? { eligible: true, erasableFrom: from, reason: `已竣工（${p.completionDate}），工资于 ${settled} 前结清，保存期满 ${years} 年（${from} 起可删除；${basis}）` }
        : { eligible: false, erasableFrom: from, reason: `保存期未满：${from} 起方可删除（完工或工资结清后${years}年，${basis}）` };
    };
    projects.push({ projectId, code, rows, ...(await judge()) });
  }
  return { idNumber: id, today, projects, kept };
}

/**
 * 删除个人信息 — erases a worker's rows on the projects whose retention term has passed (planErasure), in one
 * transaction with its audit entry (masked number, reason, counts). Rows on other projects, registries
 * without a project and enforcement records stay; the worker's name row goes only when nothing names the
 * worker any more. A supervisor's decision: the CLI asks for --confirm and a reason.
 */
export async function eraseWorkerData(store: Store, input: { idNumber: string; actor: string; now: string; today: IsoDate; reason: string }): Promise<ErasureResult> {
  return store.tx(async (tx) => {
    const plan = await planErasure(tx, input.idNumber, input.today);
    const id = plan.idNumber;
    const repo = tx.personalData;
    const erased: Record<string, number> = {};
    const eligible = plan.projects.filter((p) => p.eligible);
    const tables = await repo.tables();
    for (const t of tables) {
      if (!t.perProject || !ERASABLE.has(t.name)) continue;
      for (const p of eligible) {
        const n = await repo.eraseOnProject(t.name, id, p.projectId);
        if (n > 0) erased[t.name] = (erased[t.name] ?? 0) + n;
      }
    }
    // the projects' facts changed: the next night re-evaluates them; their fact snapshots and stored ledgers
    // (which hold the worker's rows) go, to be rebuilt from the rows
    await tx.facts.bump(eligible.map((p) => p.projectId));
    for (const p of eligible) await repo.dropDerived(p.projectId);
    // the stored report parts (today's and every past day's) name the worker among the project's roster and
    // its workers in arrears: the worker becomes one placeholder (not derived from the number, so nothing
    // can be checked against a guess), the past days' figures stay as they were
    const placeholder = `已删除-${randomUUID().slice(0, 8)}`;
    for (const p of eligible) await repo.rewriteReportParts(p.projectId, (part) => withoutWorker(part, id, placeholder));
    for (const p of eligible) {
      const n = await repo.eraseReviews(p.code, id);
      if (n > 0) erased.flag_reviews = (erased.flag_reviews ?? 0) + n;
    }
    let stillNamed = false;
    for (const t of tables) if (t.name !== 'workers' && (await repo.named(t.name, id))) stillNamed = true;
    const workerRemoved = !stillNamed && (await repo.removeWorker(id));
    await appendAudit(tx, {
      at: input.now,
      actor: input.actor,
      action: 'erase_personal_data',
      entity: 'worker',
      entityId: id, // masked by appendAudit
      reason: input.reason,
      detail: { erased, workerRemoved, projects: plan.projects.map((p) => ({ code: p.code, eligible: p.eligible, erasableFrom: p.erasableFrom })) },
    });
    return { ...plan, erased, workerRemoved };
  });
}
