/**
 * Reading the cells of one data row by column key, recording a problem (line, column as written, value,
 * reason) for each cell that fails to parse. Row parsers ask for every field before giving up, so one
 * pass over the file lists every problem of every row.
 */
import { normalizeCell, type Parsed } from '../domain/result.ts';
import type { ProblemList } from './problems.ts';

export class RowReader {
  cells: readonly string[] = [];
  line = 0;
  /** set when any cell of the current row failed */
  failed = false;

  constructor(
    /** column key → cell index */
    private readonly positions: ReadonlyMap<string, number>,
    /** column key → header as written */
    private readonly written: ReadonlyMap<string, string>,
    private readonly problems: ProblemList,
    /** column key → Chinese name, for columns the file does not have */
    private readonly names: ReadonlyMap<string, string>,
  ) {}

  start(cells: readonly string[], line: number): void {
    this.cells = cells;
    this.line = line;
    this.failed = false;
  }

  /** The cell as written, trimmed ('' when the column is absent or the row is short). */
  raw(key: string): string {
    const i = this.positions.get(key);
    if (i === undefined) return '';
    const cell = this.cells[i];
    return cell === undefined ? '' : cell.trim();
  }

  /** The cell as text: NFKC-normalised and trimmed. */
  text(key: string): string {
    return normalizeCell(this.raw(key));
  }

  has(key: string): boolean {
    return this.raw(key) !== '';
  }

  header(key: string): string {
    return this.written.get(key) ?? this.names.get(key) ?? key;
  }

  /** Records a problem on a cell of the current row. */
  fail(key: string, reason: string): void {
    this.failed = true;
    const value = this.raw(key);
    this.problems.add(this.line, this.header(key), value === '' ? null : value, reason);
  }

  /** Records a problem on the whole row. */
  failRow(reason: string): void {
    this.failed = true;
    this.problems.add(this.line, null, null, reason);
  }

  /** A required cell: empty or unparsable → a problem and undefined. */
  required<T>(key: string, parse: (raw: string) => Parsed<T>): T | undefined {
    const raw = this.raw(key);
    if (raw === '') {
      this.fail(key, `“${this.header(key)}”是必填项，不能为空`);
      return undefined;
    }
    const parsed = parse(raw);
    if (!parsed.ok) {
      this.fail(key, parsed.reason);
      return undefined;
    }
    return parsed.value;
  }

  /** An optional cell: empty → null; unparsable → a problem and null (the row is marked failed). */
  optional<T>(key: string, parse: (raw: string) => Parsed<T>): T | null {
    const raw = this.raw(key);
    if (raw === '') return null;
    const parsed = parse(raw);
    if (!parsed.ok) {
      this.fail(key, parsed.reason);
      return null;
    }
    return parsed.value;
  }

  /** A required free-text cell (names, codes): NFKC-normalised. */
  requiredText(key: string): string | undefined {
    const t = this.text(key);
    if (t === '') {
      this.fail(key, `“${this.header(key)}”是必填项，不能为空`);
      return undefined;
    }
    return t;
  }

  optionalText(key: string): string | null {
    const t = this.text(key);
    return t === '' ? null : t;
  }
}
