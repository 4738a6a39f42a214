/**
 * Header rows: recognising a column name however Excel or a clerk wrote it, and finding the header row
 * among title rows above it.
 */
import type { ColumnSpec } from './columns.ts';

/**
 * The comparable form of a header cell: NFKC (full-width → half-width), lower case, without spaces,
 * underscores, hyphens or the `*` that templates put on required columns, and without a trailing "(元)"
 * unit (only yuan: a 万元 column must not silently pass as yuan).
 */
export function headerKey(raw: string): string {
  return raw
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-*]+/g, '')
    .replace(/\((元|人民币元|yuan|rmb|cny)\)$/, '');
}

/** headerKey → column key, for one kind's columns (Chinese name, English name and aliases). */
export type HeaderIndex = ReadonlyMap<string, string>;

export function buildHeaderIndex(columns: readonly ColumnSpec[]): HeaderIndex {
  const index = new Map<string, string>();
  for (const c of columns) {
    for (const name of [c.zh, c.en, ...(c.aliases ?? [])]) {
      const k = headerKey(name);
      const existing = index.get(k);
      if (existing !== undefined && existing !== c.key) {
        throw new Error(`header alias "${name}" names both ${existing} and ${c.key}`);
      }
      index.set(k, c.key);
    }
  }
  return index;
}

export interface HeaderMatch {
  /** column key → index of its cell in a row */
  readonly positions: ReadonlyMap<string, number>;
  /** column key → the header as written in the file (for problem reports) */
  readonly written: ReadonlyMap<string, string>;
  /** required columns this row does not name */
  readonly missing: readonly ColumnSpec[];
  /** non-empty cells that name no known column */
  readonly unknown: readonly string[];
  /** columns named more than once: [column key, the headers as written, their cell indexes] */
  readonly duplicates: readonly { readonly key: string; readonly headers: readonly string[] }[];
  /** how many distinct known columns the row names (to pick the best candidate for an error message) */
  readonly known: number;
}

export function matchHeader(cells: readonly string[], columns: readonly ColumnSpec[], index: HeaderIndex): HeaderMatch {
  const positions = new Map<string, number>();
  const written = new Map<string, string>();
  const seen = new Map<string, string[]>();
  const unknown: string[] = [];
  cells.forEach((cell, i) => {
    const trimmed = cell.trim();
    if (trimmed === '') return;
    const key = index.get(headerKey(trimmed));
    if (key === undefined) {
      unknown.push(trimmed);
      return;
    }
    const headers = seen.get(key);
    if (headers) {
      headers.push(trimmed);
      return;
    }
    seen.set(key, [trimmed]);
    positions.set(key, i);
    written.set(key, trimmed);
  });
  const duplicates = [...seen].filter(([, h]) => h.length > 1).map(([key, headers]) => ({ key, headers }));
  const missing = columns.filter((c) => c.required && !positions.has(c.key));
  return { positions, written, missing, unknown, duplicates, known: positions.size };
}

/** "项目编号(project_code)" — how a column is named in messages to the clerk. */
export function columnLabel(c: ColumnSpec): string {
  return `${c.zh}(${c.en})`;
}
