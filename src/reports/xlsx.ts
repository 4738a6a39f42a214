/**
 * 报告工作簿 — the report as one Excel workbook (report.xlsx, exceljs): one sheet per table of the CSVs
 * (csv.ts reportTables, same order, same Chinese headers), the sheet named by the table's Chinese title.
 *
 * Cells are typed, so a leader can sum and sort without converting text:
 * - money (yuan strings "40361.00" from our formatters) → a number with the format '#,##0.00'
 *   (40,361.00); counts → whole numbers; rates ("0.9500") → the number 0.95 with the format '0.00%';
 * - text stays text: exceljs writes it as a string cell, never as a formula, so an imported name
 *   beginning with "=" is shown, not evaluated (no CSV-injection quote is needed here);
 * - a value in a number column that is not a number our formatters write is kept as text.
 * A yuan amount becomes an IEEE double in the sheet (what Excel stores for every number); the amounts
 * of a city report (< 10^13 yuan) have at most 15 significant digits, so each is held exactly as printed.
 * The header row is bold and frozen; columns get a width from their header.
 */
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { reportTables, type CellKind } from './csv.ts';
import type { Report } from './model.ts';

export const MONEY_FORMAT = '#,##0.00';
export const RATE_FORMAT = '0.00%';
export const COUNT_FORMAT = '0';
const NUMERIC = /^-?\d+(\.\d+)?$/;

/** Excel's sheet-name rules: at most 31 characters, none of : \ / ? * [ ], unique in the workbook. */
export function sheetNameOf(title: string, taken: Set<string>): string {
  const base = title.replace(/[:\\/?*[\]]/g, '－').slice(0, 31) || '表';
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base.slice(0, 31 - String(i).length - 1)}_${i}`;
  taken.add(name);
  return name;
}

function typed(value: string | number | null, kind: CellKind): { value: ExcelJS.CellValue; numFmt?: string } {
  if (value === null) return { value: null };
  if (kind === 'text') return { value: String(value) };
  const text = String(value);
  if (!NUMERIC.test(text)) return { value: text };
  const n = Number(text);
  if (kind === 'money') return { value: n, numFmt: MONEY_FORMAT };
  if (kind === 'rate') return { value: n, numFmt: RATE_FORMAT };
  // a money figure inside a generic number column (the amount-based rate's numerator and denominator)
  if (/\.\d\d$/.test(text)) return { value: n, numFmt: MONEY_FORMAT };
  return { value: n, numFmt: Number.isInteger(n) ? COUNT_FORMAT : undefined };
}

/** Display width of a header: CJK characters count double. */
function widthOf(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u2e80-\uffff]/.test(ch) ? 2 : 1;
  return w;
}

export async function renderXlsx(report: Report): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '护薪';
  // fixed document dates (the report's day), so the workbook's properties do not carry the clock
  const day = new Date(`${report.asOf}T00:00:00Z`);
  wb.created = day;
  wb.modified = day;
  const taken = new Set<string>();
  for (const table of reportTables(report)) {
    const ws = wb.addWorksheet(sheetNameOf(table.title, taken), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = table.columns.map((c) => ({ header: c.header, width: Math.min(60, Math.max(8, widthOf(c.header) + 2)) }));
    ws.getRow(1).font = { bold: true };
    for (const row of table.rows) {
      const r = ws.addRow([]);
      table.columns.forEach((c, i) => {
        const cell = r.getCell(i + 1);
        const t = typed(c.value(row), c.kind);
        cell.value = t.value;
        if (t.numFmt) cell.numFmt = t.numFmt;
      });
    }
  }
  // exceljs stamps every zip entry with the clock: rewritten with the report's day, the same report gives the
  // same bytes (the nightly's crash test compares a rerun's files byte for byte)
  const zip = await JSZip.loadAsync(await wb.xlsx.writeBuffer());
  for (const file of Object.values(zip.files)) file.date = day;
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
