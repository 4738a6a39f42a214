/**
 * Reading an Excel workbook (.xlsx) as an import table (exceljs). Only the FIRST sheet is read (in the
 * workbook's tab order); its rows go through the same TableSink as a CSV's (header among title rows, totals
 * and signatures skipped, the same row parsers and problem list), so an .xlsx is accepted or refused exactly
 * as the same table saved as CSV would be. Line numbers are the sheet's row numbers as Excel shows them.
 *
 * Cells become the text a clerk would have typed:
 * - text as is (rich text joined, a hyperlink's text);
 * - a date cell (a number with a date format) → YYYY-MM-DD (with the time if it has one, which the date
 *   parsers then refuse as they refuse it in a CSV);
 * - a number → its shortest decimal text at Excel's own 15 significant digits (a cached 4823.499999999999
 *   is the 4823.5 Excel shows), then the column's own parser checks it (money scale, days, codes);
 * - a number of 10^15 or more is REFUSED: Excel keeps 15 significant digits, so an identity or card number
 *   typed into a number cell has already lost its last digits and cannot be restored;
 * - a formula → its cached result (a formula never calculated, or an error value such as #N/A, is refused);
 * - TRUE/FALSE → true/false (the yes/no parser reads them).
 * A refused cell is reported through RowReader only when its column is read, with the column's header.
 *
 * The workbook is read whole into memory (a zip cannot be streamed row by row reliably: the shared strings
 * and styles may come after the sheet). Measured: 50,000 rows (1.9 MB) in about 7 s at a peak of 380 MB, so
 * a workbook larger than MAX_XLSX_BYTES (about 200,000 rows) is refused with the advice to save it as CSV,
 * which is read in bounded chunks whatever its size.
 */
import { readFile, stat } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { ColumnSpec } from './columns.ts';
import type { ProblemList, WarningList } from './problems.ts';
import { TableSink, type SheetHandlers, type SheetResult } from './sheet.ts';
import type { ImportRequest } from './types.ts';

/** The recorded "encoding" of a batch read from a workbook. */
export const XLSX_ENCODING = 'xlsx';

/** A zip file starts with "PK\x03\x04" (an .xlsx is a zip of XML parts). */
export function isZipSignature(head: Buffer): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
}

/** The first bytes of the import, to choose between the CSV and the workbook reader. */
export async function headOf(source: ImportRequest['source']): Promise<Buffer> {
  if ('buffer' in source) return source.buffer.subarray(0, 4);
  const { open } = await import('node:fs/promises');
  const fh = await open(source.path, 'r');
  try {
    const buf = Buffer.alloc(4);
    const { bytesRead } = await fh.read(buf, 0, 4, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** The largest workbook read (bytes of the .xlsx file); larger ones are refused (CSV has no such limit). */
export const MAX_XLSX_BYTES = 8 * 1024 * 1024;

/** Numbers at or above this have more than 15 significant digits: Excel has zeroed the rest. */
export const EXCEL_EXACT_LIMIT = 1e15;

export const LOST_DIGITS_REASON =
  '这一格是数字格式，超过15位的数字 Excel 只保存15位有效数字，末几位已经丢失，无法还原（身份证号、银行卡号常因此出错）：请将该列设为“文本”格式，重新填写完整号码后再导入';

/** Rows handed on between turns of the event loop, so the server keeps answering during a big import. */
const ROWS_PER_TURN = 2000;

interface Cell {
  text: string;
  refused?: string;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** A JS number as Excel shows it: 15 significant digits, shortest form, no exponent for ordinary sizes. */
export function numberText(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (n === 0) return '0';
  const shown = Number(n.toPrecision(15));
  const text = String(shown);
  if (!/e/i.test(text)) return text;
  // very small magnitudes: write them out (toFixed takes at most 100 digits)
  return shown.toFixed(Math.min(100, 20)).replace(/\.?0+$/, '');
}

function dateText(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  // exceljs reads a date cell as UTC midnight plus the fraction of a day; round away float noise to the second
  const t = new Date(Math.round(d.getTime() / 1000) * 1000);
  const day = `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
  if (t.getUTCHours() === 0 && t.getUTCMinutes() === 0 && t.getUTCSeconds() === 0) return day;
  return `${day} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
}

function cellOf(value: ExcelJS.CellValue | undefined): Cell {
  if (value === null || value === undefined) return { text: '' };
  if (typeof value === 'string') return { text: value };
  if (typeof value === 'number') {
    const text = numberText(value);
    return Math.abs(value) >= EXCEL_EXACT_LIMIT ? { text, refused: LOST_DIGITS_REASON } : { text };
  }
  if (typeof value === 'boolean') return { text: value ? 'true' : 'false' };
  if (value instanceof Date) return { text: dateText(value) };
  const v = value as unknown as Record<string, unknown>;
  if (Array.isArray(v.richText)) return { text: (v.richText as { text?: string }[]).map((r) => r.text ?? '').join('') };
  if ('formula' in v || 'sharedFormula' in v) {
    const result = v.result as ExcelJS.CellValue | undefined;
    if (result === undefined || result === null) {
      return {
        text: '',
        refused: '这一格是公式，但文件里没有保存公式的计算结果：请在 Excel 中打开文件、计算并保存后再导入（或把该列复制后“选择性粘贴→数值”）',
      };
    }
    return cellOf(result);
  }
  if ('error' in v) {
    const err = String(v.error);
    return { text: err, refused: `这一格是 Excel 错误值 ${err}（公式出错）：请改正公式或填写数值后再导入` };
  }
  if ('hyperlink' in v || 'text' in v) {
    const text = v.text as ExcelJS.CellValue | undefined;
    return cellOf(text);
  }
  return { text: String(value) };
}

export async function readWorkbook(
  source: ImportRequest['source'],
  columns: readonly ColumnSpec[],
  problems: ProblemList,
  warnings: WarningList,
  handlers: SheetHandlers,
): Promise<SheetResult> {
  const result: SheetResult = { encoding: XLSX_ENCODING, delimiter: undefined, rowCount: 0 };
  const workbook = new ExcelJS.Workbook();
  const size = 'buffer' in source ? source.buffer.length : (await stat(source.path)).size;
  if (size > MAX_XLSX_BYTES) {
    problems.add(
      0,
      null,
      null,
      `Excel 工作簿有 ${(size / 1024 / 1024).toFixed(1)} MB，超过 ${MAX_XLSX_BYTES / 1024 / 1024} MB（约 20 万行）：工作簿须整体读入内存，过大的文件请在 Excel 中另存为“CSV UTF-8(逗号分隔)(*.csv)”后导入（CSV 不受此限制）`,
    );
    return result;
  }
  try {
    const bytes = 'buffer' in source ? source.buffer : await readFile(source.path);
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch {
    problems.add(
      0,
      null,
      null,
      '文件不是有效的 Excel 工作簿（.xlsx）：无法打开（文件可能已损坏、被加密，或是改了扩展名的其他压缩包）。请在 Excel 中另存为“Excel 工作簿(*.xlsx)”或“CSV UTF-8(逗号分隔)(*.csv)”后重新导入',
    );
    return result;
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) {
    problems.add(0, null, null, 'Excel 工作簿中没有任何工作表');
    return result;
  }
  if (workbook.worksheets.length > 1) {
    warnings.add(`工作簿有${workbook.worksheets.length}个工作表，只导入了第一个“${sheet.name}”，其余的已忽略`);
  }
  const sink = new TableSink(columns, problems, warnings, handlers);
  const last = sheet.rowCount;
  for (let r = 1; r <= last && !sink.stopped; r++) {
    if (r % ROWS_PER_TURN === 0) {
      await handlers.flush?.();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const row = sheet.findRow(r);
    if (!row || !row.hasValues) continue;
    const width = row.cellCount;
    const cells: string[] = new Array<string>(width);
    let refused: Map<number, string> | undefined;
    for (let c = 1; c <= width; c++) {
      const cell = cellOf(row.findCell(c)?.value);
      cells[c - 1] = cell.text;
      if (cell.refused) (refused ??= new Map()).set(c - 1, cell.refused);
    }
    sink.record(cells, r, refused);
  }
  await handlers.flush?.();
  sink.finish(null);
  return { ...result, rowCount: sink.s.rowCount };
}
