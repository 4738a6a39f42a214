/**
 * Rows that Excel sheets carry around the data but that are not data: totals (合计/小计/总计) and the
 * signature block under a wage table (劳资专管员 / 项目经理 / 制表人 …). They are skipped with a warning.
 */

const TOTAL_WORDS = ['合计', '小计', '总计', '共计', '累计', '本页合计', '总合计'];

const SIGNATURE_WORDS = [
  '劳资专管员',
  '项目经理',
  '项目负责人',
  '负责人',
  '制表人',
  '制表',
  '填表人',
  '填表',
  '审核人',
  '审核',
  '复核',
  '签字',
  '签名',
  '签章',
  '盖章',
  '单位盖章',
  '单位(盖章)',
  '法定代表人',
  '财务负责人',
  '经办人',
];

function firstNonEmpty(cells: readonly string[]): string | undefined {
  for (const c of cells) {
    const t = c.trim();
    if (t !== '') return t.normalize('NFKC').replace(/\s+/g, '');
  }
  return undefined;
}

/** A 合计/小计/总计 row: its first non-empty cell starts with such a word. */
export function isTotalRow(cells: readonly string[]): boolean {
  const first = firstNonEmpty(cells);
  return first !== undefined && TOTAL_WORDS.some((w) => first.startsWith(w));
}

/** A signature line: its first non-empty cell starts with a signatory's title. */
export function isSignatureRow(cells: readonly string[]): boolean {
  const first = firstNonEmpty(cells);
  return first !== undefined && SIGNATURE_WORDS.some((w) => first.startsWith(w));
}

export function isBlankRow(cells: readonly string[]): boolean {
  for (const c of cells) if (c.trim() !== '') return false;
  return true;
}

/** A short preview of a skipped row for a warning ("XX项目 2026年10月 农民工工资支付表"). */
export function rowPreview(cells: readonly string[]): string {
  const text = cells
    .map((c) => c.trim())
    .filter((c) => c !== '')
    .join(' ');
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
