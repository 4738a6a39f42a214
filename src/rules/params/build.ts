/**
 * 参数集 — checked documents become the parameter set the rules read (RulesParams), and a catalogue of what
 * is in force with its source (for `huxin params list` and the supervisor's page). Pure.
 *
 * The shipped documents must name every parameter once and may hold each year's holiday schedule once.
 * Imported documents (the bureau's, from the database) are laid over them: an imported value replaces the
 * shipped value of the same parameter that starts on the same day, or adds a new dated value; an imported
 * holiday schedule replaces its year's. Later imports come later in the list and win.
 */
import { Value } from 'typebox/value';
import type { IsoDate } from '../../domain/date.ts';
import { dated, type DatedValue, type ParamSource } from './dated.ts';
import { ParamFileError, type Doc, type HolidayDoc, type ParamDoc, type ParamFileProblem, type RawEntry } from './files.ts';
import type { HolidaySchedule } from './holidays.ts';
import { PARAM_DEFS, PARAM_KEYS, UNITS, type ParamKey, type RulesParams, type Unit } from './schema.ts';

/** One parameter as the catalogue shows it: its values in date order, each with where it came from. */
export interface CatalogParam {
  readonly key: ParamKey;
  readonly label: string;
  readonly description: string;
  readonly unit: Unit;
  readonly unitZh: string;
  /** in force, in date order (as written in a file: money in yuan) */
  readonly values: readonly RawEntry[];
}

export interface CatalogHolidays {
  readonly year: number;
  readonly restDays: readonly (readonly [IsoDate, IsoDate])[];
  readonly makeUpWorkDays: readonly IsoDate[];
  readonly source: ParamSource;
  readonly origin: string;
}

export interface ParamSet {
  readonly params: RulesParams;
  readonly catalog: readonly CatalogParam[];
  readonly holidays: readonly CatalogHolidays[];
}

/** Builds the set; throws ParamFileError (file, line, reason) when the documents do not make one. */
export function buildParams(shipped: readonly Doc[], imported: readonly Doc[] = []): ParamSet {
  const problems: ParamFileProblem[] = [];
  const byKey = new Map<ParamKey, ParamDoc>();
  const years = new Map<number, HolidayDoc>();
  for (const doc of shipped) {
    if (doc.kind === 'holidays') {
      const before = years.get(doc.year);
      if (before) problems.push({ file: doc.file, line: doc.line, reason: `${doc.year}年的放假安排重复（另见 ${before.file}）` });
      else years.set(doc.year, doc);
      continue;
    }
    const before = byKey.get(doc.key);
    if (before) problems.push({ file: doc.file, line: doc.line, reason: `参数 ${doc.key} 重复（另见 ${before.file}）` });
    else byKey.set(doc.key, doc);
  }
  for (const key of PARAM_KEYS) {
    if (!byKey.has(key)) problems.push({ file: 'params/', line: 1, reason: `缺少参数 ${key} 的文件` });
  }
  if (problems.length > 0) throw new ParamFileError(problems);

  // the overlay: by key, then by start date; a later document wins
  const entries = new Map<ParamKey, Map<string, RawEntry>>();
  for (const [key, doc] of byKey) entries.set(key, new Map(doc.entries.map((e) => [e.from, e])));
  const holidayOrigin = new Map<number, HolidayDoc>(years);
  const importedEntries = new Set<RawEntry>();
  for (const doc of imported) {
    if (doc.kind === 'holidays') {
      holidayOrigin.set(doc.year, doc);
      continue;
    }
    const map = entries.get(doc.key)!;
    for (const e of doc.entries) {
      map.set(e.from, e);
      importedEntries.add(e);
    }
  }

  const params: Record<string, unknown> = {};
  const catalog: CatalogParam[] = [];
  for (const key of PARAM_KEYS) {
    const doc = byKey.get(key)!;
    const def = PARAM_DEFS[key];
    const label = doc.label!;
    const list = [...entries.get(key)!.values()].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
    const values: DatedValue<unknown>[] = list.map((e) => ({
      from: e.from,
      ...(e.to ? { to: e.to } : {}),
      value: Value.Decode(def.schema, e.value),
      source: e.source,
    }));
    try {
      params[key] = dated(label, values);
    } catch (err) {
      // overlapping dates: name the imported value (the shipped files build alone), else the last one
      const last = list.find((e) => importedEntries.has(e)) ?? list.at(-1)!;
      problems.push({ file: last.origin, line: last.line, reason: `参数 ${key}（${label}）的取值日期冲突：${(err as Error).message}` });
      continue;
    }
    catalog.push({ key, label, description: doc.description!, unit: def.unit, unitZh: UNITS[def.unit], values: list });
  }
  if (problems.length > 0) throw new ParamFileError(problems);

  const schedules: HolidaySchedule[] = [];
  const holidays: CatalogHolidays[] = [];
  for (const year of [...holidayOrigin.keys()].sort((a, b) => a - b)) {
    const doc = holidayOrigin.get(year)!;
    schedules.push({ year, restDays: doc.restDays, makeUpWorkDays: doc.makeUpWorkDays, source: doc.source });
    holidays.push({ year, restDays: doc.restDays, makeUpWorkDays: doc.makeUpWorkDays, source: doc.source, origin: doc.file });
  }
  params.holidays = schedules;
  return { params: params as RulesParams, catalog, holidays };
}
