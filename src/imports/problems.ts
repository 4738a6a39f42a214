/**
 * Collecting problems and warnings of one file. A rejected file must list every problem so the clerk can
 * fix it in one go, but a file with a systematic error (a shifted column in a million rows) must not
 * produce a million-line answer: the list is capped and ends with a count of what was left out.
 */
import type { ImportProblem } from './types.ts';

export const MAX_PROBLEMS = 1000;
export const MAX_WARNINGS = 200;

export class ProblemList {
  private readonly items: ImportProblem[] = [];
  private omitted = 0;

  constructor(private readonly cap = MAX_PROBLEMS) {}

  add(line: number, column: string | null, value: string | null, reason: string): void {
    if (this.items.length < this.cap) this.items.push({ line, column, value, reason });
    else this.omitted++;
  }

  get count(): number {
    return this.items.length + this.omitted;
  }

  get any(): boolean {
    return this.items.length > 0;
  }

  /** The problems in file order, with a last entry counting those left out. */
  list(): ImportProblem[] {
    const sorted = [...this.items].sort((a, b) => a.line - b.line);
    if (this.omitted > 0) {
      sorted.push({ line: 0, column: null, value: null, reason: `还有${this.omitted}处问题未列出：请先改正以上问题后重新导入` });
    }
    return sorted;
  }
}

export class WarningList {
  private readonly items: string[] = [];
  private omitted = 0;

  constructor(private readonly cap = MAX_WARNINGS) {}

  add(text: string): void {
    if (this.items.length < this.cap) this.items.push(text);
    else this.omitted++;
  }

  list(): string[] {
    return this.omitted > 0 ? [...this.items, `还有${this.omitted}条提示未列出`] : [...this.items];
  }
}

/** "第3、5、9行" / "第3–5行": a compact list of line numbers for a warning. */
export function formatLines(lines: readonly number[], max = 20): string {
  const parts: string[] = [];
  let i = 0;
  while (i < lines.length && parts.length < max) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j]! + 1) j++;
    parts.push(j > i ? `${lines[i]}–${lines[j]}` : String(lines[i]));
    i = j + 1;
  }
  const rest = lines.length - lines.slice(0, i).length;
  return `第${parts.join('、')}行${rest > 0 ? `等（另有${rest}行）` : ''}`;
}
