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
  /** cells of the current row that must not be read, by index (a workbook's number that lost digits …) */
  refused: ReadonlyMap<number, string> | undefined;
  private reported: Set<string> | undefined;
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

  start(cells: readonly string[], line: number, refused?: ReadonlyMap<number, string>): void {
    this.cells = cells;
    this.line = line;
    this.refused = refused;
    this.reported = undefined;
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

  /** The refusal of the column's cell in the current row, if it was refused. */
  private refusalOf(key: string): string | undefined {
    if (!this.refused) return undefined;
    const i = this.positions.get(key);
    return i === undefined ? undefined : this.refused.get(i);
  }

  /**
   * A refused cell of the column, recorded as its problem: true when the caller must not read it. Every
   * typed read (required, optional, the text ones) asks this first.
   */
  private refusedCell(key: string): boolean {
    if (this.refusalOf(key) === undefined) return false;
    this.fail(key, '');
    return true;
  }

  /**
   * Records a problem on a cell of the current row. A refused cell is reported once, with its refusal
   * (a later rule that finds it "empty" or wrong says nothing more about it).
   */
  fail(key: string, reason: string): void {
    this.failed = true;
    const refusal = this.refusalOf(key);
    if (refusal !== undefined) {
      this.reported ??= new Set();
      if (this.reported.has(key)) return;
      this.reported.add(key);
      reason = `“${this.header(key)}”${refusal}`;
    }
    const value = this.raw(key);
    this.problems.add(this.line, this.header(key), value === '' ? null : value, reason);
  }

  /**
   * The current row kept for later: writers check rows against the database in batches, after the reader
   * has moved on, and record what they find on the row through this.
   */
  later(): LaterRow {
    return new LaterRow(this, this.cells, this.line);
  }

  /** A problem on a cell of a row read earlier (its cells and line kept by later()). */
  failEarlier(cells: readonly string[], line: number, key: string, reason: string): void {
    const i = this.positions.get(key);
    const value = i === undefined ? '' : (cells[i] ?? '').trim();
    this.problems.add(line, this.header(key), value === '' ? null : value, reason);
  }

  /** Records a problem on the whole row. */
  failRow(reason: string): void {
    this.failed = true;
    this.problems.add(this.line, null, null, reason);
  }

  /** A problem on the whole of a row read earlier. */
  failRowAt(line: number, reason: string): void {
    this.problems.add(line, null, null, reason);
  }

  /** A required cell: empty or unparsable → a problem and undefined. */
  required<T>(key: string, parse: (raw: string) => Parsed<T>): T | undefined {
    if (this.refusedCell(key)) return undefined;
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
    if (this.refusedCell(key)) return null;
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
    if (this.refusedCell(key)) return undefined;
    const t = this.text(key);
    if (t === '') {
      this.fail(key, `“${this.header(key)}”是必填项，不能为空`);
      return undefined;
    }
    return t;
  }

  optionalText(key: string): string | null {
    if (this.refusedCell(key)) return null;
    const t = this.text(key);
    return t === '' ? null : t;
  }
}

/** A row read earlier (RowReader.later()): problems found by a batched check are recorded on it. */
export class LaterRow {
  constructor(
    private readonly reader: RowReader,
    private readonly cells: readonly string[],
    readonly line: number,
  ) {}

  fail(key: string, reason: string): void {
    this.reader.failEarlier(this.cells, this.line, key, reason);
  }

  failRow(reason: string): void {
    this.reader.failRowAt(this.line, reason);
  }
}
