/**
 * 事实版本 — every write to a project's facts bumps the project's facts version (project_versions) in the
 * writer's own transaction, so a night re-evaluates exactly the projects whose facts changed
 * (src/services/night/plan.ts) and no writer can change facts without the night seeing it.
 * The synchronous writers of this floor (importer, erasure, listings) call these; the async ports have the
 * same in src/store/repos/facts.ts.
 */
import type Database from 'better-sqlite3';

const BUMP = `INSERT INTO project_versions (project_id, facts_version) SELECT project_id, 1 FROM touched WHERE project_id IS NOT NULL
  ON CONFLICT (project_id) DO UPDATE SET facts_version = project_versions.facts_version + 1`;

/** Tables whose rows carry their project and their batch (rows of a batch, or rows a batch superseded). */
const PROJECT_TABLES = ['roster_entries', 'payroll_rows', 'payments', 'account_transactions', 'deposit_events'] as const;

/** The projects a committed batch touched: its rows, the rows it superseded, its project rows. */
export function bumpForBatch(client: Database.Database, batchId: number): void {
  const parts = PROJECT_TABLES.map((t) => `SELECT project_id FROM ${t} WHERE batch_id = @b OR superseded_by = @b`);
  parts.push('SELECT id AS project_id FROM projects WHERE batch_id = @b');
  // an insurance record is read by worker (work-injury cover on any project): every project that has the
  // worker on its roster changes
  parts.push(
    `SELECT DISTINCT r.project_id FROM roster_entries r JOIN insurance_records i ON i.id_number = r.id_number
      WHERE i.batch_id = @b OR i.superseded_by = @b`,
  );
  // a contractor's record (contractor_records) is read by the deposit rule of every project of that general
  // contractor: they all change (and the night evaluates them together, plan.ts)
  parts.push(
    `SELECT p.id AS project_id FROM projects p JOIN contractor_records c ON c.contractor_uscc = p.contractor_uscc
      WHERE c.batch_id = @b OR c.superseded_by = @b`,
  );
  client.prepare(`WITH touched AS (SELECT DISTINCT project_id FROM (${parts.join(' UNION ')})) ${BUMP}`).run({ b: batchId });
}

/** The listed projects. */
export function bumpProjects(client: Database.Database, projectIds: Iterable<number>): void {
  const stmt = client.prepare(`INSERT INTO project_versions (project_id, facts_version) VALUES (?, 1)
    ON CONFLICT (project_id) DO UPDATE SET facts_version = project_versions.facts_version + 1`);
  for (const id of new Set(projectIds)) stmt.run(id);
}

/** Every project of a unit (owner, general contractor or employer on a roster): a listing of it changed. */
export function bumpParty(client: Database.Database, uscc: string): void {
  client
    .prepare(
      `WITH touched AS (SELECT id AS project_id FROM projects WHERE owner_uscc = @b OR contractor_uscc = @b
         UNION SELECT DISTINCT project_id FROM roster_entries WHERE employer_uscc = @b) ${BUMP}`,
    )
    .run({ b: uscc });
}
