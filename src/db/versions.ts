/**
 * 事实版本 — every write to a project's facts bumps the project's facts version (project_versions) in the
 * writer's own transaction, so a night re-evaluates exactly the projects whose facts changed
 * (src/services/night/plan.ts) and no writer can change facts without the night seeing it.
 * The synchronous writers of this floor (erasure, listings) call these; the async ports have the same in
 * src/store/repos/facts.ts (the importer's bumpForBatch among them).
 */
import type Database from 'better-sqlite3';

const BUMP = `INSERT INTO project_versions (project_id, facts_version) SELECT project_id, 1 FROM touched WHERE project_id IS NOT NULL
  ON CONFLICT (project_id) DO UPDATE SET facts_version = project_versions.facts_version + 1`;

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
