import { fail, normalizeCell, ok, type Parsed } from './result.ts';

const TRUE = new Set(['是', 'y', 'yes', 'true', '1', '有', '已签', '已确认', '√']);
const FALSE = new Set(['否', 'n', 'no', 'false', '0', '无', '未签', '未确认', '×']);

/** 是/否, Y/N, yes/no, true/false, 1/0; an empty cell takes the column's default. */
export function parseBool(raw: string, defaultValue: boolean): Parsed<boolean> {
  const text = normalizeCell(raw).toLowerCase();
  if (text === '') return ok(defaultValue);
  if (TRUE.has(text)) return ok(true);
  if (FALSE.has(text)) return ok(false);
  return fail(`“${raw.trim()}”不是是/否值：请填写 是 或 否（也可用 Y/N、1/0）`);
}
