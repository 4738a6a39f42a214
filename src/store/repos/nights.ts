/**
 * 夜间分块 — a night being evaluated, staged chunk by chunk (docs/STORAGE.md "Staged nights"):
 * `nights` (one open at a time), `night_chunks` (its chunks and who did them) and `night_results` (each
 * chunk's encoded results, written as the chunk finishes). The apply reads the results back one chunk at a
 * time in the night's write transaction, then removes them: a night's staging never outlives its apply.
 *
 * On PostgreSQL chunks are claimed with `FOR UPDATE SKIP LOCKED` in the transaction that later writes the
 * chunk's results and marks it done, so a worker killed mid-chunk rolls back, its lock goes with its
 * connection and the chunk is pending again for the next claim. SQLite keeps a night in one process.
 */
import { Type } from 'typebox';
import { bool, json, type Sql } from '../sql.ts';

const Ids = Type.Array(Type.Integer());
const Problems = Type.Array(Type.Object({ projectId: Type.Integer(), projectCode: Type.String(), message: Type.String() }));

export type NightProblem = { readonly projectId: number; readonly projectCode: string; readonly message: string };

export interface OpenNight {
  readonly id: number;
  readonly asOf: string;
  readonly mode: 'full' | 'incremental';
  readonly past: boolean;
  readonly paramsVersion: string;
  readonly planKey: string;
  readonly projectCount: number;
  readonly chunkCount: number;
  readonly removed: readonly number[];
}

export interface NightToOpen extends Omit<OpenNight, 'id' | 'chunkCount'> {
  readonly plannedAt: string;
  /** each chunk: its project ids and their facts versions when planned */
  readonly chunks: readonly { readonly ids: readonly number[]; readonly versions: readonly number[] }[];
}

export interface ClaimedChunk {
  readonly nightId: number;
  readonly chunkNo: number;
  readonly ids: readonly number[];
  /** facts version of each project when the night was planned (same order as ids) */
  readonly plannedVersions: readonly number[];
}

export interface ChunkDone {
  readonly worker: string;
  readonly doneAt: string;
  readonly evaluated: number;
  readonly problems: readonly NightProblem[];
  /** the encoded results (JSON text) */
  readonly results: string;
}

/** Thrown when the night a process works on is no longer the open one (another recompute replaced it, or it was applied). */
export class NightGoneError extends Error {
  constructor(nightId: number) {
    super(`夜间评估 #${nightId} 已不再进行（已被另一次重算取代或已写入）`);
    this.name = 'NightGoneError';
  }
}

type NightRow = [number, string, 'full' | 'incremental', unknown, string, string, number, number, unknown];
const NIGHT_COLS = 'id, as_of, mode, past, params_version, plan_key, project_count, chunk_count, removed';
const nightOf = ([id, asOf, mode, past, paramsVersion, planKey, projectCount, chunkCount, removed]: NightRow): OpenNight => ({
  id,
  asOf,
  mode,
  past: bool(past),
  paramsVersion,
  planKey,
  projectCount,
  chunkCount,
  removed: json('nights.removed', Ids, removed),
});

export class NightsRepo {
  constructor(private readonly sql: Sql) {}

  /** The open night, if any. */
  async open(): Promise<OpenNight | null> {
    const [r] = await this.sql.rows<NightRow>(`SELECT ${NIGHT_COLS} FROM nights WHERE status = 'open'`);
    return r ? nightOf(r) : null;
  }

  /** The id of the last applied night (0 when none): part of a plan's key, since an applied night moves the state. */
  async lastApplied(): Promise<number> {
    const r = await this.sql.get<{ id: number | null }>(`SELECT MAX(id) AS id FROM nights WHERE status = 'applied'`);
    return r?.id ?? 0;
  }

  /**
   * Opens a night with its chunks (call inside a write transaction, after `supersede` of any other open
   * night). The one-open-night index refuses a second open night.
   */
  async create(n: NightToOpen): Promise<OpenNight> {
    const row = await this.sql.get<{ id: number }>(
      `INSERT INTO nights (as_of, mode, past, params_version, plan_key, status, project_count, chunk_count, removed, planned_at)
       VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?, ?) RETURNING id`,
      [n.asOf, n.mode, n.past, n.paramsVersion, n.planKey, n.projectCount, n.chunks.length, JSON.stringify(n.removed), n.plannedAt],
    );
    const id = row!.id;
    await this.sql.insertMany(
      'night_chunks',
      ['night_id', 'chunk_no', 'project_ids', 'planned_versions', 'status'],
      n.chunks.map((c, i) => [id, i, JSON.stringify(c.ids), JSON.stringify(c.versions), 'pending']),
    );
    return { ...n, id, chunkCount: n.chunks.length };
  }

  /** An open night given up (another night is started): its staging removed, its row kept as a log. */
  async supersede(nightId: number): Promise<void> {
    await this.sql.run(`UPDATE nights SET status = 'superseded' WHERE id = ? AND status = 'open'`, [nightId]);
    await this.removeStaging(nightId);
  }

  /** Chunks not done yet, in order (SQLite: the one process works them in turn). */
  async pendingChunks(nightId: number): Promise<ClaimedChunk[]> {
    const rows = await this.sql.rows<[number, unknown, unknown]>(
      `SELECT chunk_no, project_ids, planned_versions FROM night_chunks WHERE night_id = ? AND status = 'pending' ORDER BY chunk_no`,
      [nightId],
    );
    return rows.map((r) => this.chunkOf(nightId, r));
  }

  /**
   * PostgreSQL: claims one pending chunk nobody holds (call inside the transaction that will write its
   * results: the row lock is the claim). Null when every pending chunk is held or none is left.
   */
  async claim(nightId: number): Promise<ClaimedChunk | null> {
    if (this.sql.dialect.engine !== 'postgres') throw new Error('夜间分块认领只在 PostgreSQL 上进行（SQLite 的夜间评估在一个进程内完成）');
    if (!this.sql.inTransaction) throw new Error('claim() 须在写入该块结果的事务内调用');
    const [r] = await this.sql.rows<[number, unknown, unknown]>(
      `SELECT chunk_no, project_ids, planned_versions FROM night_chunks WHERE night_id = ? AND status = 'pending'
        ORDER BY chunk_no LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [nightId],
    );
    return r ? this.chunkOf(nightId, r) : null;
  }

  private chunkOf(nightId: number, [chunkNo, ids, versions]: [number, unknown, unknown]): ClaimedChunk {
    return { nightId, chunkNo, ids: json('night_chunks.project_ids', Ids, ids), plannedVersions: json('night_chunks.planned_versions', Ids, versions) };
  }

  /** Stages a chunk's results and marks it done (in the claiming transaction on PostgreSQL). */
  async finishChunk(c: ClaimedChunk, done: ChunkDone): Promise<void> {
    const n = await this.sql.run(
      `UPDATE night_chunks SET status = 'done', worker = ?, done_at = ?, evaluated = ?, problems = ? WHERE night_id = ? AND chunk_no = ? AND status = 'pending'`,
      [done.worker, done.doneAt, done.evaluated, JSON.stringify(done.problems), c.nightId, c.chunkNo],
    );
    if (n !== 1) throw new NightGoneError(c.nightId);
    await this.sql.insertMany('night_results', ['night_id', 'chunk_no', 'results'], [[c.nightId, c.chunkNo, done.results]]);
  }

  /** How many chunks are not done yet. */
  async pendingCount(nightId: number): Promise<number> {
    const r = await this.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM night_chunks WHERE night_id = ? AND status <> 'done'`, [nightId]);
    return r?.n ?? 0;
  }

  /** Whether the night is still the open one (PostgreSQL: its row locked until the caller's transaction ends, so nothing supersedes it meanwhile). */
  async lockOpen(nightId: number): Promise<boolean> {
    const lock = this.sql.dialect.engine === 'postgres' ? ' FOR UPDATE' : '';
    const r = await this.sql.get<{ status: string }>(`SELECT status FROM nights WHERE id = ?${lock}`, [nightId]);
    return r?.status === 'open';
  }

  /** The chunks' numbers, in order. */
  async chunkNumbers(nightId: number): Promise<number[]> {
    return (await this.sql.rows<[number]>('SELECT chunk_no FROM night_chunks WHERE night_id = ? ORDER BY chunk_no', [nightId])).map((r) => r[0]);
  }

  /** One chunk's staged results (the encoded text). */
  async results(nightId: number, chunkNo: number): Promise<string> {
    const r = await this.sql.get<{ results: string }>('SELECT results FROM night_results WHERE night_id = ? AND chunk_no = ?', [nightId, chunkNo]);
    if (!r) throw new Error(`夜间评估 #${nightId} 第 ${chunkNo} 块没有结果`);
    return r.results;
  }

  /** What the chunks say: projects evaluated, problems, chunks and projects per worker. */
  async tally(nightId: number): Promise<{ evaluated: number; problems: NightProblem[]; byWorker: Map<string, { chunks: number; projects: number }> }> {
    const rows = await this.sql.rows<[string | null, number | null, string | null]>(
      'SELECT worker, evaluated, problems FROM night_chunks WHERE night_id = ? ORDER BY chunk_no',
      [nightId],
    );
    let evaluated = 0;
    const problems: NightProblem[] = [];
    const byWorker = new Map<string, { chunks: number; projects: number }>();
    for (const [worker, n, p] of rows) {
      evaluated += n ?? 0;
      if (p) problems.push(...json('night_chunks.problems', Problems, p));
      const w = byWorker.get(worker ?? '') ?? { chunks: 0, projects: 0 };
      w.chunks++;
      w.projects += n ?? 0;
      byWorker.set(worker ?? '', w);
    }
    return { evaluated, problems, byWorker };
  }

  /**
   * The night written (in the apply transaction): marked applied, and every staged row of it and of older
   * nights removed (a worker of a superseded night may have committed its chunk after the staging was
   * removed; only one night is open at a time, so nothing older is still needed).
   */
  async markApplied(nightId: number, appliedAt: string): Promise<void> {
    await this.sql.run(`UPDATE nights SET status = 'applied', applied_at = ? WHERE id = ?`, [appliedAt, nightId]);
    await this.removeStaging(nightId, true);
  }

  private async removeStaging(nightId: number, andOlder = false): Promise<void> {
    const cmp = andOlder ? '<=' : '=';
    await this.sql.run(`DELETE FROM night_results WHERE night_id ${cmp} ?`, [nightId]);
    await this.sql.run(`DELETE FROM night_chunks WHERE night_id ${cmp} ?`, [nightId]);
  }

  /** Staged rows (for tests: none may outlive a night's apply). */
  async stagedRows(): Promise<number> {
    const r = await this.sql.get<{ n: number }>(`SELECT (SELECT COUNT(*) FROM night_chunks) + (SELECT COUNT(*) FROM night_results) AS n`);
    return r?.n ?? 0;
  }
}

