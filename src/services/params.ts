/**
 * 法定参数的本地维护 — the bureau keeps the law's numbers without a release (issue 14): `huxin params import`,
 * the supervisor's page and POST /api/v1/params/imports add or change dated values (a new year's holiday
 * notice, a minimum-wage adjustment, a local setting). An import is validated like a shipped file (file,
 * line, reason), checked against the shipped set it is laid over (no overlapping dates), stored in the
 * database (param_imports, param_values: an upgrade keeps them) and audited with its actor. The next
 * recompute reads the set with every import laid over the shipped files (paramsOf).
 */
import { createHash } from 'node:crypto';
import type { IsoDate } from '../domain/date.ts';
import type { Db } from '../db/open.ts';
import type { Store } from '../store/store.ts';
import { recordAudit } from '../api/audit.ts';
import {
  buildParams,
  HOLIDAYS_KEY,
  parseParamFile,
  SHIPPED,
  SHIPPED_DOCS,
  type CatalogHolidays,
  type Doc,
  type ParamSet,
  type ParamSource,
  type RawEntry,
  type RulesParams,
} from '../rules/params/index.ts';
import { calendarOf, missingYearReason } from '../rules/calendar.ts';

interface ValueRow {
  readonly id: number;
  readonly importId: number;
  readonly parameter: string;
  readonly validFrom: IsoDate;
  readonly validTo: IsoDate | null;
  readonly value: string;
  readonly source: string;
  readonly actor: string;
  readonly importedAt: string;
  readonly fileName: string;
}

// plain column names (PostgreSQL folds unquoted aliases to lower case): rowOf maps them
const ROWS_SQL = `SELECT v.id, v.import_id, v.parameter, v.valid_from, v.valid_to, v.value, v.source, i.actor, i.imported_at, i.file_name
  FROM param_values v JOIN param_imports i ON i.id = v.import_id ORDER BY v.id`;

interface RawRow {
  id: number;
  import_id: number;
  parameter: string;
  valid_from: unknown;
  valid_to: unknown;
  value: unknown;
  source: unknown;
  actor: string;
  imported_at: unknown;
  file_name: string;
}

/** A row as read on either engine (dates as text or Date, JSON as text or objects). */
function rowOf(r: RawRow): ValueRow {
  const date = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v)).slice(0, 10) as IsoDate;
  const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  return {
    id: Number(r.id),
    importId: Number(r.import_id),
    parameter: r.parameter,
    validFrom: date(r.valid_from),
    validTo: r.valid_to === null || r.valid_to === undefined ? null : date(r.valid_to),
    value: text(r.value),
    source: text(r.source),
    actor: r.actor,
    importedAt: r.imported_at instanceof Date ? r.imported_at.toISOString() : String(r.imported_at),
    fileName: r.file_name,
  };
}

/** Where an imported value came from, as the catalogue shows it. */
function originOf(r: Pick<ValueRow, 'importId' | 'actor' | 'importedAt' | 'fileName'>): string {
  return `导入#${r.importId} ${r.fileName}（${r.actor}，${r.importedAt}）`;
}

/** The bureau's imports as documents, oldest first (a later one wins over an earlier of the same date). */
export function importedDocs(db: Db): Doc[] {
  return docsOf((db.$client.prepare(ROWS_SQL).all() as RawRow[]).map(rowOf));
}

function docsOf(rows: readonly ValueRow[]): Doc[] {
  return rows.map((r): Doc => {
    const source = JSON.parse(r.source) as ParamSource;
    const value = JSON.parse(r.value) as unknown;
    const origin = originOf(r);
    if (r.parameter === HOLIDAYS_KEY) {
      const h = value as { year: number; restDays: [IsoDate, IsoDate][]; makeUpWorkDays: IsoDate[] };
      return { kind: 'holidays', year: h.year, restDays: h.restDays, makeUpWorkDays: h.makeUpWorkDays, source, file: origin, line: 1 };
    }
    const entry: RawEntry = { from: r.validFrom, ...(r.validTo ? { to: r.validTo } : {}), value, source, origin, line: 1 };
    return { kind: 'param', key: r.parameter as never, entries: [entry], file: origin, line: 1 };
  });
}

const cache = new WeakMap<object, { version: string; set: ParamSet }>();

/**
 * The parameter set in force: the shipped files with every import laid over them. Built once per state of
 * the import tables (the version is the last row id and the row count), so a night's chunks share one set.
 */
export function paramSetOf(db: Db): ParamSet {
  const v = db.$client.prepare('SELECT count(*) AS n, coalesce(max(id), 0) AS last FROM param_values').get() as { n: number; last: number };
  if (v.n === 0) return SHIPPED;
  const version = `${v.n}:${v.last}`;
  const hit = cache.get(db.$client);
  if (hit && hit.version === version) return hit.set;
  const set = buildParams(SHIPPED_DOCS, importedDocs(db));
  cache.set(db.$client, { version, set });
  return set;
}

/** The same over the Store (SQLite or PostgreSQL: JSON columns come back as text or as objects). */
export async function paramsOfStore(store: Store): Promise<RulesParams> {
  const rows = await store.sql.all<RawRow>(ROWS_SQL);
  if (rows.length === 0) return SHIPPED.params;
  return buildParams(SHIPPED_DOCS, docsOf(rows.map(rowOf))).params;
}

/** 规则参数（生效）— what the next recompute runs with. */
export function paramsOf(db: Db): RulesParams {
  return paramSetOf(db).params;
}

export interface ParamImportResult {
  readonly importId: number;
  readonly fileName: string;
  /** the dated values written, in file order */
  readonly values: readonly { readonly parameter: string; readonly label: string; readonly from: IsoDate; readonly to: IsoDate | null; readonly verified: boolean }[];
  /** the holiday schedules written (years) */
  readonly holidayYears: readonly number[];
}

/**
 * 导入参数文件 — validates `text` (YAML or JSON), checks it against the set it is laid over, and stores it
 * with its actor, in one transaction with its audit entry. Throws ParamFileError (file, line, reason) and
 * writes nothing when the file is wrong.
 */
export function importParams(db: Db, input: { readonly text: string; readonly fileName: string; readonly actor: string; readonly now: string }): ParamImportResult {
  const docs = parseParamFile(input.text, input.fileName, 'import');
  // laid over the shipped files and the earlier imports, the set must still build (dates must not overlap)
  const set = buildParams(SHIPPED_DOCS, [...importedDocs(db), ...docs]);
  const labels = new Map(set.catalog.map((c) => [c.key, c.label]));
  const sqlite = db.$client;
  const sha256 = createHash('sha256').update(input.text).digest('hex');
  const insertValue = sqlite.prepare('INSERT INTO param_values (import_id, parameter, valid_from, valid_to, value, source) VALUES (?, ?, ?, ?, ?, ?)');
  const values: ParamImportResult['values'][number][] = [];
  const holidayYears: number[] = [];
  const importId = sqlite.transaction(() => {
    const { id } = sqlite
      .prepare('INSERT INTO param_imports (imported_at, actor, file_name, sha256, content) VALUES (?, ?, ?, ?, ?) RETURNING id')
      .get(input.now, input.actor, input.fileName, sha256, input.text) as { id: number };
    for (const doc of docs) {
      if (doc.kind === 'holidays') {
        const value = { year: doc.year, restDays: doc.restDays, makeUpWorkDays: doc.makeUpWorkDays };
        insertValue.run(id, HOLIDAYS_KEY, `${doc.year}-01-01`, `${doc.year}-12-31`, JSON.stringify(value), JSON.stringify(doc.source));
        holidayYears.push(doc.year);
        continue;
      }
      for (const e of doc.entries) {
        insertValue.run(id, doc.key, e.from, e.to ?? null, JSON.stringify(e.value), JSON.stringify(e.source));
        values.push({ parameter: doc.key, label: labels.get(doc.key) ?? doc.key, from: e.from, to: e.to ?? null, verified: e.source.verified });
      }
    }
    recordAudit(db, {
      at: input.now,
      actor: input.actor,
      action: 'params_import',
      entity: 'param_imports',
      entityId: id,
      reason: null,
      detail: { fileName: input.fileName, sha256, values: values.map((v) => `${v.parameter}@${v.from}`), holidayYears },
    });
    return id;
  })();
  return { importId, fileName: input.fileName, values, holidayYears };
}

/** One value in force, as `huxin params list` and the supervisor's page show it. */
export interface ParamInForce {
  readonly parameter: string;
  readonly label: string;
  readonly description: string;
  readonly unit: string;
  /** as written in the file (money in yuan strings); null when no value is in force on the day */
  readonly value: unknown;
  readonly from: IsoDate | null;
  readonly to: IsoDate | null;
  readonly source: ParamSource | null;
  /** the shipped file (params/…) or the import (导入#id, file, actor, time) */
  readonly origin: string | null;
  /** the number of dated values the parameter has, in force or not */
  readonly valueCount: number;
}

export interface ParamListing {
  readonly asOf: IsoDate;
  readonly params: readonly ParamInForce[];
  readonly holidays: readonly (CatalogHolidays & { readonly inForce: boolean })[];
  /** years near D with no schedule: D's year, and the next year from November (the notice is due then) */
  readonly missingHolidayYears: readonly { readonly year: number; readonly message: string }[];
}

/** Every value in force on `asOf`, with its source and where it came from. */
export function listParams(db: Db, asOf: IsoDate): ParamListing {
  const set = paramSetOf(db);
  const params = set.catalog.map((c): ParamInForce => {
    let found: RawEntry | null = null;
    for (const e of c.values) if (e.from <= asOf) found = e;
    if (found && found.to !== undefined && found.to < asOf) found = null;
    return {
      parameter: c.key,
      label: c.label,
      description: c.description,
      unit: c.unitZh,
      value: found ? found.value : null,
      from: found?.from ?? null,
      to: found?.to ?? null,
      source: found?.source ?? null,
      origin: found ? (found.line > 1 ? `${found.origin}:${found.line}` : found.origin) : null,
      valueCount: c.values.length,
    };
  });
  const year = Number(asOf.slice(0, 4));
  const cal = calendarOf(set.params.holidays);
  const wanted = [year, ...(Number(asOf.slice(5, 7)) >= 11 ? [year + 1] : [])];
  return {
    asOf,
    params,
    holidays: set.holidays.map((h) => ({ ...h, inForce: h.year === year })),
    missingHolidayYears: wanted.filter((y) => !cal.hasYear(y)).map((y) => ({ year: y, message: missingYearReason(y) })),
  };
}
