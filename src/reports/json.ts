/**
 * Report JSON (INTERFACES.md "Report JSON"): the model as it is, two-space indented, one trailing newline.
 * The model's key and list order are fixed by model.ts, so the same date over the same data gives the
 * same bytes; no generation time is written into it (the `reports` row keeps created_at apart).
 */
import type { Report } from './model.ts';

export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
