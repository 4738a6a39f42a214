/**
 * 趋势（同步读取）— the findings history the report's trends read (src/reports/trends.ts), on the
 * synchronous SQLite floor, for the report computed by evaluating the city (reports/generate.ts, the
 * oracle). The report read off the stored state reads the same through the store
 * (store/repos/reportState.ts evaluatedDays / dayFigures): same tables, same sums.
 */
import type { Db } from './open.ts';
import type { DayFigures } from '../reports/trends.ts';

export function evaluatedDaysBetween(db: Db, from: string, to: string): string[] {
  const rows = db.$client.prepare('SELECT as_of FROM evaluated_days WHERE as_of >= ? AND as_of <= ? ORDER BY as_of').all(from, to) as { as_of: string }[];
  return rows.map((r) => r.as_of);
}

export function dayFiguresOf(db: Db, day: string): DayFigures {
  const s = db.$client;
  const f = s.prepare('SELECT finding_count AS n FROM evaluated_days WHERE as_of = ?').get(day) as { n: number } | undefined;
  const c = s.prepare("SELECT SUM(n) AS n FROM daily_flag_counts WHERE as_of = ? AND severity = 'critical'").get(day) as { n: number | null } | undefined;
  const a = s
    .prepare(
      `SELECT SUM(arrears_fen) AS fen, SUM(CASE WHEN arrears_fen > 0 THEN 1 ELSE 0 END) AS projects FROM project_outcomes
        WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)`,
    )
    .get(day, day) as { fen: number | null; projects: number | null } | undefined;
  return { day, flags: f?.n ?? 0, criticalFlags: c?.n ?? 0, arrearsFen: a?.fen ?? 0, projectsInArrears: a?.projects ?? 0 };
}
