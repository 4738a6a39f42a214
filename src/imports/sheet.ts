/**
 * Reading an import file as a table, streamed: bytes → decoded text → CSV records (csv-parse) → the header
 * row found among title rows → data rows with their physical line numbers, total and signature rows
 * skipped. What the rows mean is the caller's business (see kinds.ts).
 *
 * Line numbers are counted here, not taken from csv-parse: its `info.lines` counts a CRLF inside a quoted
 * field as two lines. A record starts on the line after the previous record ends, and spans one line plus
 * one per line break inside its quoted fields; blank lines come through as records of one empty cell, so
 * they are counted too.
 */
import { parse, type Parser } from 'csv-parse';
import type { ColumnSpec } from './columns.ts';
import { EncodingError, FileDecoder } from './decode.ts';
import { delimiterName, detectDelimiter, type Delimiter } from './delimiter.ts';
import { buildHeaderIndex, columnLabel, headerKey, matchHeader, type HeaderIndex, type HeaderMatch } from './header.ts';
import { formatLines, type ProblemList, type WarningList } from './problems.ts';
import { isBlankRow, isSignatureRow, isTotalRow, rowPreview } from './trailer.ts';

/** How many non-blank rows may stand above the header before the file is judged to have none. */
export const MAX_ROWS_BEFORE_HEADER = 30;
/** Decoded bytes looked at to choose the delimiter. */
const DELIMITER_SAMPLE_BYTES = 64 * 1024;
/** A record longer than this is an unclosed quote swallowing the file, not a row. */
const MAX_RECORD_CHARS = 1024 * 1024;

export interface SheetHandlers {
  /** The header row was found (all required columns, no duplicates). */
  header(match: HeaderMatch, line: number): void;
  /** A data row: cells as csv-parse gives them (untrimmed), and its first physical line. */
  row(cells: readonly string[], line: number, refused?: ReadonlyMap<number, string>): void;
  /**
   * A piece of the file is done: the rows handed to `row` so far may be written now (the importer writes
   * them in batches). Called after each piece and once before the file's last checks.
   */
  flush?(): Promise<void>;
}

export interface SheetResult {
  readonly encoding: string;
  readonly delimiter: Delimiter | undefined;
  /** data rows handed to `row` */
  readonly rowCount: number;
}

const indexCache = new WeakMap<readonly ColumnSpec[], HeaderIndex>();

export function headerIndexOf(columns: readonly ColumnSpec[]): HeaderIndex {
  let index = indexCache.get(columns);
  if (!index) {
    index = buildHeaderIndex(columns);
    indexCache.set(columns, index);
  }
  return index;
}

/** Skipped-row line numbers kept for a warning: enough to name them, never one per row of a huge file. */
const MAX_REMEMBERED_LINES = 1000;

function remember(lines: number[], line: number): void {
  if (lines.length < MAX_REMEMBERED_LINES) lines.push(line);
}

function lineBreaksIn(cells: readonly string[]): number {
  let n = 0;
  for (const c of cells) {
    if (c.indexOf('\n') < 0 && c.indexOf('\r') < 0) continue;
    for (let i = 0; i < c.length; i++) {
      const ch = c.charCodeAt(i);
      if (ch === 10 || (ch === 13 && c.charCodeAt(i + 1) !== 10)) n++;
    }
  }
  return n;
}

class SheetState {
  nextLine = 1;
  headerLine = 0;
  header: HeaderMatch | undefined;
  headerWidth = 0;
  rowCount = 0;
  stopped = false;
  readonly aboveHeader: { line: number; preview: string }[] = [];
  best: { line: number; match: HeaderMatch } | undefined;
  readonly totals: number[] = [];
  readonly signatures: number[] = [];
  readonly repeatedHeaders: number[] = [];
  /** first header cell and its column, to recognise a header repeated on every printed page */
  firstHeaderCell: { index: number; text: string } | undefined;
}

/**
 * Waits for `event` or the stream's close. A parse error (an unclosed quote is only found at the end) is
 * recorded by the stream's own error listener and reported as a problem, so it must not reject here.
 */
function settled(stream: Parser, event: string): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off(event, done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.once(event, done);
    stream.once('close', done);
    stream.once('error', done);
  });
}

/**
 * The part of reading a table that does not depend on the file format: blank, total, signature and
 * repeated-header rows skipped, the header found among title rows, rows wider than the header refused,
 * each data row handed on with its line. The CSV reader (below) and the workbook reader (workbook.ts)
 * both feed their rows through one of these, so an .xlsx goes through exactly the checks a CSV does.
 */
export class TableSink {
  readonly s = new SheetState();
  private readonly index: HeaderIndex;

  constructor(
    private readonly columns: readonly ColumnSpec[],
    private readonly problems: ProblemList,
    private readonly warnings: WarningList,
    private readonly handlers: SheetHandlers,
  ) {
    this.index = headerIndexOf(columns);
  }

  get stopped(): boolean {
    return this.s.stopped;
  }

  /** One row of the file at `line`; `refused` marks cells that must not be read (workbook cells, see RowReader). */
  record(cells: readonly string[], line: number, refused?: ReadonlyMap<number, string>): void {
    const s = this.s;
    const { columns, problems, index } = this;
    if (s.stopped || isBlankRow(cells)) return;
    if (!s.header) {
      this.seekHeader(cells, line);
      return;
    }
    if (isTotalRow(cells)) {
      remember(s.totals, line);
      return;
    }
    if (isSignatureRow(cells)) {
      remember(s.signatures, line);
      return;
    }
    const first = s.firstHeaderCell;
    if (first && cells[first.index]?.trim() === first.text && matchHeader(cells, columns, index).missing.length === 0) {
      remember(s.repeatedHeaders, line);
      return;
    }
    for (let i = s.headerWidth; i < cells.length; i++) {
      if (cells[i]!.trim() !== '') {
        problems.add(
          line,
          null,
          cells[i]!.trim(),
          `该行有${cells.length}列，比表头（第${s.headerLine}行，${s.headerWidth}列）多：多半是某个值里含有未加引号的分隔符（如金额写成 4,823.50 或名称里有逗号），请在 Excel 中重新导出，或给该值加上英文双引号`,
        );
        return;
      }
    }
    s.rowCount++;
    this.handlers.row(cells, line, refused);
  }

  private seekHeader(cells: readonly string[], line: number): void {
    const s = this.s;
    const { columns, problems, warnings, index } = this;
    const match = matchHeader(cells, columns, index);
    if (match.missing.length > 0) {
      if (!s.best || match.known > s.best.match.known) s.best = { line, match };
      s.aboveHeader.push({ line, preview: rowPreview(cells) });
      if (s.aboveHeader.length >= MAX_ROWS_BEFORE_HEADER) s.stopped = true;
      return;
    }
    s.header = match;
    s.headerLine = line;
    s.headerWidth = cells.length;
    const firstKey = [...match.positions.entries()].sort((a, b) => a[1] - b[1])[0]!;
    s.firstHeaderCell = { index: firstKey[1], text: cells[firstKey[1]]!.trim() };
    if (match.duplicates.length > 0) {
      for (const d of match.duplicates) {
        const c = columns.find((x) => x.key === d.key)!;
        problems.add(
          line,
          d.headers[1]!,
          null,
          `表头中${d.headers.map((h) => `“${h}”`).join('和')}都是${columnLabel(c)}这一列，每列只能出现一次：请删除多余的一列`,
        );
      }
      s.stopped = true;
      return;
    }
    if (s.aboveHeader.length > 0) {
      warnings.add(
        `已跳过表头（第${line}行）之上的${formatLines(s.aboveHeader.map((r) => r.line))}：${s.aboveHeader
          .slice(0, 3)
          .map((r) => `“${r.preview}”`)
          .join('、')}`,
      );
    }
    if (match.unknown.length > 0) {
      warnings.add(`表头（第${line}行）中未识别的列已忽略：${match.unknown.map((u) => `“${u}”`).join('、')}`);
    }
    this.handlers.header(match, line);
  }

  /** After the last row: the missing-header answer, the skipped-row warnings, the empty-table problem. */
  /** `delimiter` null: the rows came from a workbook, not split by a delimiter. */
  finish(delimiter: Delimiter | undefined | null): void {
    const s = this.s;
    const { columns, problems, warnings } = this;
    if (!s.header && !problems.any) {
      reportMissingHeader(s, columns, problems, delimiter);
    }
    if (s.header) {
      if (s.totals.length > 0) warnings.add(`已跳过${formatLines(s.totals)}（合计/小计行，不是数据）`);
      if (s.signatures.length > 0) warnings.add(`已跳过${formatLines(s.signatures)}（签字栏）`);
      if (s.repeatedHeaders.length > 0) warnings.add(`已跳过${formatLines(s.repeatedHeaders)}（重复的表头行）`);
      if (s.rowCount === 0 && !problems.any) {
        problems.add(s.headerLine, null, null, '表头之下没有任何数据行：请确认导出的是完整的表格');
      }
    }
  }
}

export async function readSheet(
  chunks: AsyncIterable<Buffer>,
  columns: readonly ColumnSpec[],
  problems: ProblemList,
  warnings: WarningList,
  handlers: SheetHandlers,
): Promise<SheetResult> {
  const index = headerIndexOf(columns);
  const decoder = new FileDecoder();
  const sink = new TableSink(columns, problems, warnings, handlers);
  const s = sink.s;

  const onRecord = (cells: string[]): null => {
    const line = s.nextLine;
    s.nextLine += 1 + lineBreaksIn(cells);
    sink.record(cells, line);
    return null;
  };

  let parser: Parser | undefined;
  let csvError: (Error & { code?: string }) | undefined;
  let delimiter: Delimiter | undefined;
  const pending: Buffer[] = [];
  let pendingBytes = 0;

  const startParser = (): void => {
    const sample = Buffer.concat(pending).toString('utf8');
    delimiter = detectDelimiter(sample, index);
    parser = parse({
      delimiter,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      relax_quotes: true,
      max_record_size: MAX_RECORD_CHARS,
      bom: false,
      on_record: onRecord,
    });
    parser.on('error', (e: Error) => {
      csvError ??= e;
    });
    parser.resume();
  };

  const feed = async (piece: Buffer): Promise<void> => {
    if (!parser) {
      pending.push(piece);
      pendingBytes += piece.length;
      if (pendingBytes < DELIMITER_SAMPLE_BYTES) return;
      startParser();
      const first = Buffer.concat(pending.splice(0));
      await write(first);
      return;
    }
    await write(piece);
  };

  const write = async (piece: Buffer): Promise<void> => {
    const p = parser!;
    if (csvError || s.stopped) return;
    if (!p.write(piece) && !csvError && !p.destroyed) await settled(p, 'drain');
    await handlers.flush?.();
  };

  try {
    for await (const chunk of chunks) {
      const piece = decoder.push(chunk);
      if (piece && piece.length > 0) await feed(piece);
      if (csvError || s.stopped) break;
    }
    if (!csvError && !s.stopped) {
      const last = decoder.end();
      if (last && last.length > 0) await feed(last);
      if (!parser && pending.length > 0) {
        startParser();
        await write(Buffer.concat(pending.splice(0)));
      }
      if (parser && !csvError && !s.stopped) {
        const done = settled(parser, 'end');
        parser.end();
        await done;
      }
    }
  } catch (e) {
    if (!(e instanceof EncodingError)) throw e;
    problems.add(e.line, null, null, e.message);
    s.stopped = true;
  } finally {
    if (parser && !parser.destroyed) parser.destroy();
  }

  if (csvError) {
    const code = csvError.code ?? '';
    problems.add(
      s.nextLine,
      null,
      null,
      code === 'CSV_QUOTE_NOT_CLOSED' || code === 'CSV_MAX_RECORD_SIZE'
        ? `第${s.nextLine}行开始的英文双引号(")没有配对结束，之后的内容都被当成了同一格：请检查该行是否多了或少了一个双引号`
        : `第${s.nextLine}行附近的引号或分隔符格式不对（${csvError.message}）：请在 Excel 中重新导出为 CSV`,
    );
  }

  // the last rows written before the last checks: a writer's warnings come before the skipped-row ones
  await handlers.flush?.();
  sink.finish(delimiter);
  return { encoding: decoder.encoding, delimiter, rowCount: s.rowCount };
}

function reportMissingHeader(
  s: SheetState,
  columns: readonly ColumnSpec[],
  problems: ProblemList,
  delimiter: Delimiter | undefined | null,
): void {
  if (!s.best) {
    problems.add(0, null, null, '文件是空的：没有任何内容');
    return;
  }
  const required = columns.filter((c) => c.required);
  const wanYuan = s.best.match.unknown.filter((u) => headerKey(u).includes('万元'));
  const hint =
    wanYuan.length > 0
      ? `（注意：${wanYuan.map((u) => `“${u}”`).join('、')}以万元为单位，本系统的金额列必须以元为单位，请换算后把列名改为不带“万元”的名称）`
      : '';
  if (s.best.match.known === 0) {
    problems.add(
      0,
      null,
      null,
      `没有找到表头行：文件前${s.aboveHeader.length}行中没有任何可识别的列名${delimiter === null ? '' : `（按${delimiterName(delimiter ?? ',')}分列）`}。此类文件必须包含这些列：${required
        .map(columnLabel)
        .join('、')}`,
    );
    return;
  }
  problems.add(
    s.best.line,
    null,
    null,
    `没有找到包含全部必填列的表头行。最接近的是第${s.best.line}行，缺少必填列：${s.best.match.missing.map(columnLabel).join('、')}。请补上这些列（列名用中文或英文均可）后重新导入${hint}`,
  );
}
