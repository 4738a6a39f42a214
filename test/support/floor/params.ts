/**
 * 规则参数（同步读取）— the parameter set in force, read on the synchronous SQLite floor for the callers not
 * yet behind the store (test/store/boundary.test.ts lists them). The store's form is
 * services/params.ts paramsOfStore; both lay the same imported rows over the shipped files (docsOf).
 */
import type { Db } from './open.ts';
import { buildParams, SHIPPED, SHIPPED_DOCS, type ParamSet, type RulesParams } from '../../../src/rules/params/index.ts';
import { docsOf } from '../../../src/services/params.ts';
import type { StoredParamValue } from '../../../src/store/repos/params.ts';

const cache = new WeakMap<object, { version: string; set: ParamSet }>();

export function paramSetOf(db: Db): ParamSet {
  const sqlite = db.$client;
  const v = sqlite.prepare('SELECT count(*) AS n, coalesce(max(id), 0) AS last FROM param_values').get() as { n: number; last: number };
  if (v.n === 0) return SHIPPED;
  const version = `${v.n}:${v.last}`;
  const hit = cache.get(sqlite);
  if (hit && hit.version === version) return hit.set;
  const rows = sqlite
    .prepare(
      `SELECT v.id, v.import_id, v.parameter, v.valid_from, v.valid_to, v.value, v.source, i.actor, i.imported_at, i.file_name
         FROM param_values v JOIN param_imports i ON i.id = v.import_id ORDER BY v.id`,
    )
    .all() as { id: number; import_id: number; parameter: string; valid_from: string; valid_to: string | null; value: string; source: string; actor: string; imported_at: string; file_name: string }[];
  const values: StoredParamValue[] = rows.map((r) => ({
    id: r.id,
    importId: r.import_id,
    parameter: r.parameter,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    value: JSON.parse(r.value) as unknown,
    source: JSON.parse(r.source) as StoredParamValue['source'],
    actor: r.actor,
    importedAt: r.imported_at,
    fileName: r.file_name,
  }));
  const set = buildParams(SHIPPED_DOCS, docsOf(values));
  cache.set(sqlite, { version, set });
  return set;
}

/** 规则参数（生效）on the SQLite floor. */
export function paramsOf(db: Db): RulesParams {
  return paramSetOf(db).params;
}
