/**
 * 参数文件的读取与校验 — a parameter file's text (YAML, or JSON: the YAML parser reads both) becomes checked
 * documents, or a list of problems each with the file, the line and the reason in Chinese. Pure: the text
 * comes in, nothing is read or written here (shipped.ts reads the shipped files; services/params.ts the
 * imported ones).
 *
 * A file holds one or more documents (YAML `---`, or a JSON/YAML list); each document is either a
 * parameter (`parameter:` with its values keyed by start date) or a year's holiday schedule
 * (`holidaySchedule:`, INTERFACES.md).
 */
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document } from 'yaml';
import { Locale } from 'typebox/system';
import { Value } from 'typebox/value';
import type { TSchema } from 'typebox';
import { dayOfWeek, parseDate, type IsoDate } from '../../domain/date.ts';
import type { ParamSource } from './dated.ts';
import {
  HolidayDocSchema,
  PARAM_DEFS,
  ParamDocSchema,
  ParamImportDocSchema,
  type ParamKey,
  type Unit,
} from './schema.ts';

/** One problem of a parameter file. */
export interface ParamFileProblem {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
}

/** Thrown when a parameter file (or the set of them) does not validate: every problem, file and line. */
export class ParamFileError extends Error {
  constructor(readonly problems: readonly ParamFileProblem[]) {
    super(`参数文件校验失败 (invalid parameter file):\n${problems.map((p) => `  ${p.file} 第${p.line}行: ${p.reason}`).join('\n')}`);
    this.name = 'ParamFileError';
  }
}

/** One dated value as read from a file: still as written (money in yuan strings). */
export interface RawEntry {
  readonly from: IsoDate;
  readonly to?: IsoDate;
  readonly value: unknown;
  readonly source: ParamSource;
  /** where it came from: a shipped file and line, or an import */
  readonly origin: string;
  readonly line: number;
}

export interface ParamDoc {
  readonly kind: 'param';
  readonly key: ParamKey;
  readonly label?: string;
  readonly description?: string;
  readonly unit?: Unit;
  readonly entries: readonly RawEntry[];
  readonly file: string;
  readonly line: number;
}

export interface HolidayDoc {
  readonly kind: 'holidays';
  readonly year: number;
  readonly restDays: readonly (readonly [IsoDate, IsoDate])[];
  readonly makeUpWorkDays: readonly IsoDate[];
  readonly source: ParamSource;
  readonly file: string;
  readonly line: number;
}

export type Doc = ParamDoc | HolidayDoc;

/** A shipped file must say everything; an import may leave label, description and unit to the shipped file. */
export type FileMode = 'shipped' | 'import';

const FIELD_ZH: Record<string, string> = {
  parameter: '参数名',
  label: '中文名称',
  description: '说明',
  unit: '单位',
  values: '取值',
  value: '取值',
  source: '出处',
  document: '文件名称',
  article: '条款',
  verified: '是否已核对',
  holidaySchedule: '放假安排',
  year: '年份',
  restDays: '放假日期',
  makeUpWorkDays: '调休上班日期',
};

const zh = (field: string) => (FIELD_ZH[field] ? `${FIELD_ZH[field]}（${field}）` : field);

/** A TypeBox error in the file's words. */
function reasonOf(e: { keyword: string; instancePath: string; params: Record<string, unknown> }): string {
  const at = e.instancePath === '' ? '' : `“${e.instancePath.slice(1).split('/').join('.')}”`;
  switch (e.keyword) {
    case 'required':
      return `${at || '文档'}缺少必填字段 ${(e.params.requiredProperties as string[]).map(zh).join('、')}`;
    case 'additionalProperties':
      return `${at || '文档'}有不认识的字段 ${(e.params.additionalProperties as string[]).join('、')}（请检查拼写）`;
    case 'pattern':
      return String(e.params.pattern).includes('\\d{4}-') ? `${at}应为 YYYY-MM-DD 格式的日期` : String(e.params.pattern).includes('13')
        ? `${at}应为以元为单位的金额字符串，最多两位小数，如 "2200.00"`
        : `${at}应为小数字符串，如 "0.02"`;
    default:
      return `${at}${Locale.zh_Hans(e as never)}`;
  }
}

/**
 * The line of the place a JSON-pointer path names: for a map entry the line of its key (a date's values
 * start on the line of the date), for a list item the item's line; the nearest place above when the path
 * goes further than the document (a missing field: the line of the object that lacks it).
 */
function lineAt(doc: Document, lc: LineCounter, pointer: string, base: readonly (string | number)[] = []): number {
  const path = [...base.map(String), ...pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))];
  let node: unknown = doc.contents;
  let line = (node as { range?: [number] } | null)?.range ? lc.linePos((node as { range: [number] }).range[0]).line : 1;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === seg);
      if (!pair) break;
      const key = pair.key as { range?: [number] } | null;
      if (key?.range) line = lc.linePos(key.range[0]).line;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)] as { range?: [number] } | undefined;
      if (!item) break;
      if (item.range) line = lc.linePos(item.range[0]).line;
      node = item;
    } else break;
  }
  return line;
}

function check(schema: TSchema, value: unknown, report: (pointer: string, reason: string) => void): boolean {
  const errors = Value.Errors(schema, value);
  if (errors.length === 0) return true;
  // one reason per place: TypeBox reports a union's every branch; the first says enough
  const seen = new Set<string>();
  for (const e of errors) {
    if (seen.has(e.instancePath)) continue;
    seen.add(e.instancePath);
    report(e.instancePath, reasonOf(e as never));
  }
  return false;
}

function validDate(text: string): IsoDate | null {
  const p = parseDate(text);
  return p.ok && p.value === text ? p.value : null;
}

/**
 * Parses and checks one file's text. Returns its documents, or throws ParamFileError with every problem.
 * `file` names the file in messages; values are checked against their parameter's schema, but not yet
 * decoded (build.ts decodes, after an import is laid over the shipped values).
 */
export function parseParamFile(text: string, file: string, mode: FileMode): Doc[] {
  const problems: ParamFileProblem[] = [];
  const lc = new LineCounter();
  const yamlDocs = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: true });
  const list = Array.isArray(yamlDocs) ? yamlDocs : [];
  if (!Array.isArray(yamlDocs)) problems.push({ file, line: 1, reason: '文件为空' });
  const out: Doc[] = [];
  for (const ydoc of list) {
    for (const err of ydoc.errors) {
      problems.push({ file, line: err.linePos?.[0]?.line ?? 1, reason: `YAML/JSON 格式错误：${err.message.split('\n')[0]}` });
    }
    if (ydoc.errors.length > 0) continue;
    const js = ydoc.toJS() as unknown;
    if (js === null || js === undefined) continue;
    const items = Array.isArray(js) ? js : [js];
    items.forEach((item, i) => {
      const base = Array.isArray(js) ? [i] : [];
      const report = (pointer: string, reason: string) => problems.push({ file, line: lineAt(ydoc, lc, pointer, base), reason });
      const doc = readDoc(item, file, mode, report, (pointer) => lineAt(ydoc, lc, pointer, base));
      if (doc) out.push(doc);
    });
  }
  if (problems.length === 0 && out.length === 0) problems.push({ file, line: 1, reason: '文件中没有参数（应有 parameter: 或 holidaySchedule:）' });
  if (problems.length > 0) throw new ParamFileError(problems);
  return out;
}

function readDoc(
  item: unknown,
  file: string,
  mode: FileMode,
  report: (pointer: string, reason: string) => void,
  line: (pointer: string) => number,
): Doc | null {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    report('', '每个文档应是一个对象，含 parameter: 或 holidaySchedule:');
    return null;
  }
  if ('holidaySchedule' in item) return readHolidays(item, file, report, line);
  if (!('parameter' in item)) {
    report('', '文档应含 parameter:（参数）或 holidaySchedule:（放假安排）');
    return null;
  }
  const key = (item as { parameter: unknown }).parameter;
  if (typeof key !== 'string' || !(key in PARAM_DEFS)) {
    report('/parameter', `不认识的参数名“${String(key)}”；可用的参数见 huxin params list`);
    return null;
  }
  const def = PARAM_DEFS[key as ParamKey];
  if (!check(mode === 'shipped' ? ParamDocSchema : ParamImportDocSchema, item, report)) return null;
  const raw = item as unknown as { label?: string; description?: string; unit?: Unit; values: Record<string, { value: unknown; to?: string; source: ParamSource }> };
  if (raw.unit !== undefined && raw.unit !== def.unit) report('/unit', `参数 ${key} 的单位应为 ${def.unit}，文件写的是 ${raw.unit}`);
  const entries: RawEntry[] = [];
  let ok = true;
  for (const [fromText, entry] of Object.entries(raw.values)) {
    const at = `/values/${fromText}`;
    const from = validDate(fromText);
    if (!from) {
      report(at, `起始日期“${fromText}”不是有效日期`);
      ok = false;
      continue;
    }
    if (!check(def.schema, entry.value, (p, reason) => report(`${at}/value${p}`, `取值${reason.startsWith('“') ? '' : '：'}${reason}`))) {
      ok = false;
      continue;
    }
    const to = entry.to === undefined ? undefined : validDate(entry.to);
    if (to === null || (to !== undefined && to < from)) {
      report(`${at}/to`, to === null ? `截止日期“${entry.to}”不是有效日期` : `截止日期 ${to} 早于起始日期 ${from}`);
      ok = false;
      continue;
    }
    // 一个不是地方设置的参数，必须写明条款 (RULES.md: every legal number cites its article)
    if (!entry.source.localSetting && !entry.source.article) {
      report(`${at}/source`, '出处缺少条款（article）：不是地方设置（localSetting: true）的参数必须写明依据的条款');
      ok = false;
      continue;
    }
    entries.push({ from, ...(to ? { to } : {}), value: entry.value, source: entry.source, origin: file, line: line(at) });
  }
  if (!ok) return null;
  return {
    kind: 'param',
    key: key as ParamKey,
    ...(raw.label !== undefined ? { label: raw.label } : {}),
    ...(raw.description !== undefined ? { description: raw.description } : {}),
    ...(raw.unit !== undefined ? { unit: raw.unit } : {}),
    entries,
    file,
    line: line(''),
  };
}

function readHolidays(item: object, file: string, report: (pointer: string, reason: string) => void, line: (pointer: string) => number): HolidayDoc | null {
  if (!check(HolidayDocSchema, item, report)) return null;
  const s = (item as { holidaySchedule: { year: number; restDays: [string, string][]; makeUpWorkDays: string[]; source: ParamSource } }).holidaySchedule;
  let ok = true;
  const bad = (pointer: string, reason: string) => {
    report(`/holidaySchedule${pointer}`, reason);
    ok = false;
  };
  const restDays: [IsoDate, IsoDate][] = [];
  s.restDays.forEach(([a, b], i) => {
    const first = validDate(a);
    const last = validDate(b);
    if (!first || !last) return bad(`/restDays/${i}`, `放假日期“${!first ? a : b}”不是有效日期`);
    if (last < first) return bad(`/restDays/${i}`, `放假区间 ${first} 至 ${last} 的结束早于开始`);
    // a range may start in the last days of the year before (元旦 joined to a weekend), never elsewhere
    if (Number(last.slice(0, 4)) !== s.year) return bad(`/restDays/${i}`, `放假区间 ${first} 至 ${last} 不在 ${s.year} 年`);
    restDays.push([first, last]);
  });
  const makeUp: IsoDate[] = [];
  s.makeUpWorkDays.forEach((t, i) => {
    const day = validDate(t);
    if (!day) return bad(`/makeUpWorkDays/${i}`, `调休上班日期“${t}”不是有效日期`);
    if (Number(day.slice(0, 4)) !== s.year) return bad(`/makeUpWorkDays/${i}`, `调休上班日期 ${day} 不在 ${s.year} 年`);
    const dow = dayOfWeek(day);
    if (dow !== 0 && dow !== 6) return bad(`/makeUpWorkDays/${i}`, `调休上班日期 ${day} 不是周六或周日（本来就是工作日，请核对通知）`);
    if (restDays.some(([f, l]) => f <= day && day <= l)) return bad(`/makeUpWorkDays/${i}`, `${day} 既是放假日又是调休上班日`);
    makeUp.push(day);
  });
  if (!ok) return null;
  return { kind: 'holidays', year: s.year, restDays, makeUpWorkDays: makeUp, source: s.source, file, line: line('') };
}
