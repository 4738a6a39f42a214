/**
 * 数据库复制 — every table of one Huxin database copied into another, empty one, of either engine: a city's
 * SQLite file moved onto its province's PostgreSQL (`huxin db copy`), or a province's database taken into
 * a file for a test. Rows keep their ids (evidence references name them); booleans, dates and JSON are
 * converted by the engines' own input (COPY reads 0/1, ISO text and JSON text); id generators are moved
 * past the copied ids. One transaction on the target: a failed copy leaves it empty.
 */
import { getTableName } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as schema from './sqlite/schema.ts';
import type { Store } from './store.ts';

/** The tables of the schema, in declaration order (no foreign keys: any order loads). */
export function tablesOf(): { name: string; columns: string[]; generatedId: string | null }[] {
  const out: { name: string; columns: string[]; generatedId: string | null }[] = [];
  for (const t of Object.values(schema)) {
    if (!(t instanceof SQLiteTable)) continue;
    const cfg = getTableConfig(t);
    const id = cfg.columns.find((c) => c.primary && (c as unknown as { autoIncrement?: boolean }).autoIncrement);
    out.push({ name: getTableName(t), columns: cfg.columns.map((c) => c.name), generatedId: id?.name ?? null });
  }
  return out;
}

export interface CopySummary {
  readonly tables: number;
  readonly rows: number;
}

/** Copies every table of `from` into `to` (migrated, and empty: refused otherwise). */
export async function copyDatabase(from: Store, to: Store, onTable?: (name: string, rows: number) => void): Promise<CopySummary> {
  const tables = tablesOf();
  for (const t of tables) {
    const r = await to.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t.name}`);
    if ((r?.n ?? 0) > 0) throw new Error(`目标数据库不是空的：表 ${t.name} 已有 ${r!.n} 行`);
  }
  let rows = 0;
  await from.snapshot(async (src) =>
    to.tx(async (dst) => {
      for (const t of tables) {
        let n = 0;
        // quoted: some column names are keywords (`on`)
        const cols = t.columns.map((c) => `"${c}"`);
        for await (const batch of src.sql.batches<unknown[]>(`SELECT ${cols.join(', ')} FROM "${t.name}"`, [], 5000)) {
          await dst.sql.insertMany(`"${t.name}"`, cols, batch);
          n += batch.length;
        }
        if (t.generatedId) {
          const after = dst.sql.dialect.afterExplicitIds(t.name, t.generatedId);
          if (after) await dst.sql.get(after);
        }
        rows += n;
        onTable?.(t.name, n);
      }
    }),
  );
  return { tables: tables.length, rows };
}
