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
import type { Store } from '../store/store.ts';
import type { NewParamValue, StoredParamValue } from '../store/repos/params.ts';
import { appendAudit } from '../api/audit.ts';
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

/** Where an imported value came from, as the catalogue shows it. */
function originOf(r: Pick<StoredParamValue, 'importId' | 'actor' | 'importedAt' | 'fileName'>): string {
  return `导入#${r.importId} ${r.fileName}（${r.actor}，${r.importedAt}）`;
}

/** The bureau's imported values as documents, in import order (a later one wins over an earlier of the same date). */
export function docsOf(rows: readonly StoredParamValue[]): Doc[] {
  return rows.map((r): Doc => {
    const source = r.source as ParamSource;
    const origin = originOf(r);
    if (r.parameter === HOLIDAYS_KEY) {
      const h = r.value as { year: number; restDays: [IsoDate, IsoDate][]; makeUpWorkDays: IsoDate[] };
      return { kind: 'holidays', year: h.year, restDays: h.restDays, makeUpWorkDays: h.makeUpWorkDays, source, file: origin, line: 1 };
    }
    const entry: RawEntry = { from: r.validFrom as IsoDate, ...(r.validTo ? { to: r.validTo as IsoDate } : {}), value: r.value, source, origin, line: 1 };
    return { kind: 'param', key: r.parameter as never, entries: [entry], file: origin, line: 1 };
  });
}

/** The bureau's imports as documents, oldest first. */
export async function importedDocs(store: Store): Promise<Doc[]> {
  return docsOf(await store.params.values());
}

/** The last set built per database (its location), with the version of the import tables it was built from. */
const cache = new Map<string, { version: string; set: ParamSet }>();

/**
 * The parameter set in force: the shipped files with every import laid over them. Built once per state of
 * the import tables (ParamsRepo.version), so a night's chunks and a page's figures share one set.
 */
export async function paramSetOf(store: Store): Promise<ParamSet> {
  const version = await store.params.version();
  if (version === null) return SHIPPED;
  const hit = cache.get(store.location);
  if (hit && hit.version === version) return hit.set;
  const set = buildParams(SHIPPED_DOCS, await importedDocs(store));
  cache.set(store.location, { version, set });
  return set;
}

/** 规则参数（生效）— what the next recompute runs with. */
export async function paramsOfStore(store: Store): Promise<RulesParams> {
  return (await paramSetOf(store)).params;
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
export async function importParams(store: Store, input: { readonly text: string; readonly fileName: string; readonly actor: string; readonly now: string }): Promise<ParamImportResult> {
  const docs = parseParamFile(input.text, input.fileName, 'import');
  const sha256 = createHash('sha256').update(input.text).digest('hex');
  return store.tx(async (tx) => {
    // laid over the shipped files and the earlier imports, the set must still build (dates must not overlap);
    // read in the writing transaction, so two imports at once cannot both pass against the same earlier set
    const set = buildParams(SHIPPED_DOCS, [...(await importedDocs(tx)), ...docs]);
    const labels = new Map(set.catalog.map((c) => [c.key, c.label]));
    const rows: NewParamValue[] = [];
    const values: ParamImportResult['values'][number][] = [];
    const holidayYears: number[] = [];
    for (const doc of docs) {
      if (doc.kind === 'holidays') {
        const value = { year: doc.year, restDays: doc.restDays, makeUpWorkDays: doc.makeUpWorkDays };
        rows.push({ parameter: HOLIDAYS_KEY, validFrom: `${doc.year}-01-01`, validTo: `${doc.year}-12-31`, value, source: doc.source });
        holidayYears.push(doc.year);
        continue;
      }
      for (const e of doc.entries) {
        rows.push({ parameter: doc.key, validFrom: e.from, validTo: e.to ?? null, value: e.value, source: e.source });
        values.push({ parameter: doc.key, label: labels.get(doc.key) ?? doc.key, from: e.from, to: e.to ?? null, verified: e.source.verified });
      }
    }
    const importId = await tx.params.add({ importedAt: input.now, actor: input.actor, fileName: input.fileName, sha256, content: input.text }, rows);
    await appendAudit(tx, {
      at: input.now,
      actor: input.actor,
      action: 'params_import',
      entity: 'param_imports',
      entityId: importId,
      reason: null,
      detail: { fileName: input.fileName, sha256, values: values.map((v) => `${v.parameter}@${v.from}`), holidayYears },
    });
    return { importId, fileName: input.fileName, values, holidayYears };
  });
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
export async function listParams(store: Store, asOf: IsoDate): Promise<ParamListing> {
  const set = await paramSetOf(store);
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
