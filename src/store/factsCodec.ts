/**
 * 事实快照编码 — a project's facts (src/rules/facts.ts ProjectFacts) as one JSON document of columns:
 * each list of rows (roster, payroll, payments, account transactions, deposit events …) becomes its column
 * names and one array per column, each row's evidence reference flattened into three columns. JSON.parse
 * of arrays of numbers and short strings is several times faster than building the same objects from
 * database rows one by one (docs/PERFORMANCE.md), and the document is written only when the facts change.
 *
 * The codec is generic over the row fields (a field added to a fact type is carried without touching
 * this file); `FORMAT` changes when the layout itself changes, so an old snapshot is ignored, not misread.
 */
import type { EvidenceRef, ProjectFacts } from '../rules/facts.ts';

export const FACTS_FORMAT = 4;

type Obj = Record<string, unknown>;

export interface Columns {
  /** the evidence table of every row (one per list) */
  readonly t: string | null;
  /** field names; `ref` is stored as the three columns #id, #batch, #line */
  readonly k: readonly string[];
  /** one array per field, rows in order */
  readonly c: readonly (readonly unknown[])[];
}

const REF_KEYS = ['#id', '#batch', '#line'] as const;

/** A list of flat rows as columns (an `ref` evidence reference flattened). */
export function encodeRows(rows: readonly Obj[]): Columns {
  const keys: string[] = [];
  const seen = new Set<string>();
  let table: string | null = null;
  for (const r of rows) {
    for (const k of Object.keys(r)) {
      if (k === 'ref') {
        table ??= (r.ref as EvidenceRef).table;
        continue;
      }
      if (!seen.has(k) && r[k] !== undefined) {
        seen.add(k);
        keys.push(k);
      }
    }
  }
  const cols: unknown[][] = [[], [], [], ...keys.map(() => [] as unknown[])];
  for (const r of rows) {
    const ref = r.ref as EvidenceRef | undefined;
    cols[0]!.push(ref?.id ?? null);
    cols[1]!.push(ref?.batchId ?? null);
    cols[2]!.push(ref?.line ?? null);
    for (let i = 0; i < keys.length; i++) {
      const v = r[keys[i]!];
      cols[i + 3]!.push(v === undefined ? null : v);
    }
  }
  return { t: table, k: [...REF_KEYS, ...keys], c: cols };
}

/**
 * Absent optional fields were stored as null: they come back absent, as the row loader leaves them
 * (`keepNull`: rows whose fields are always present, null included — a ledger — come back with their nulls).
 */
export function decodeRows(cols: Columns, keepNull = false): Obj[] {
  const n = cols.c[0]?.length ?? 0;
  return rowBuilder(cols.k, keepNull)(cols.c, cols.t, n);
}

type RowBuilder = (c: readonly (readonly unknown[])[], table: string | null, n: number) => Obj[];
const rowBuilders = new Map<string, RowBuilder>();

/**
 * The rows of a document's columns, built by a function made for its field list: one named store per field
 * in the row's field order, each row's fields added in the same order (so rows share their hidden classes,
 * as the row loader's do). A loop over the field names (`o[k] = v`) is a keyed store V8 handles as
 * megamorphic, and building rows was a fifth of reading a project's facts. The names are the document's own
 * field names, quoted as string literals.
 */
function rowBuilder(keys: readonly string[], keepNull: boolean): RowBuilder {
  const id = `${keepNull ? 1 : 0}${JSON.stringify(keys)}`;
  let build = rowBuilders.get(id);
  if (!build) {
    const lines = ['const out = new Array(n);', 'const ids = c[0], batches = c[1], lines = c[2];'];
    for (let i = 3; i < keys.length; i++) lines.push(`const c${i} = c[${i}];`);
    lines.push('for (let row = 0; row < n; row++) {', '  const o = {};', '  if (table !== null && ids[row] !== null) o.ref = { table, id: ids[row], batchId: batches[row], line: lines[row] };', '  let v;');
    for (let i = 3; i < keys.length; i++) {
      lines.push(`  v = c${i}[row];`, keepNull ? `  o[${JSON.stringify(keys[i])}] = v;` : `  if (v !== null) o[${JSON.stringify(keys[i])}] = v;`);
    }
    lines.push('  out[row] = o;', '}', 'return out;');
    build = new Function('c', 'table', 'n', lines.join('\n')) as RowBuilder;
    rowBuilders.set(id, build);
  }
  return build;
}

function isRowList(v: unknown): v is Obj[] {
  return Array.isArray(v) && v.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x));
}

/** The document for a project's facts. */
export function encodeFacts(p: ProjectFacts): string {
  const scalars: Obj = {};
  const lists: Record<string, Columns> = {};
  for (const [k, v] of Object.entries(p)) {
    if (v === undefined) continue;
    if (isRowList(v)) lists[k] = encodeRows(v);
    else scalars[k] = v;
  }
  return JSON.stringify({ f: FACTS_FORMAT, p: scalars, l: lists });
}

/** The columns decoded facts were built from, kept while the facts live (valuesOfDecoded). */
const decodedFrom = new WeakMap<object, { readonly scalars: Obj; readonly lists: readonly Columns[] }>();

/** The facts back from their document (null when it is of another format). */
export function decodeFacts(doc: string): ProjectFacts | null {
  const parsed = JSON.parse(doc) as { f: number; p: Obj; l: Record<string, Columns> };
  if (parsed.f !== FACTS_FORMAT) return null;
  const out: Obj = { ...parsed.p };
  for (const [k, cols] of Object.entries(parsed.l)) out[k] = decodeRows(cols);
  decodedFrom.set(out, { scalars: parsed.p, lists: Object.values(parsed.l) });
  return out as unknown as ProjectFacts;
}

/**
 * The document decoded facts were built from — its scalars and each list's columns — or undefined for facts
 * built otherwise (from rows). A walk over the columns visits the same values as one over the facts' row
 * objects, and over flat arrays it is several times cheaper (the next-change day looks at every date).
 */
export function decodedSource(facts: ProjectFacts): { readonly scalars: Obj; readonly lists: readonly Columns[] } | undefined {
  return decodedFrom.get(facts);
}
