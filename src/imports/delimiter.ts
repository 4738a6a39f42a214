/**
 * Delimiter detection: comma, tab or the full-width comma `，` (DATA-FORMATS.md).
 *
 * Counting delimiter characters is not enough — a comma-separated file may hold `，` inside Chinese
 * project names, and a title row may hold none at all. So the sample's first lines are split by each
 * candidate and the candidate under which some line names the most known columns of the kind wins
 * (that line is the header). Only when no line names any known column (the file will be rejected for
 * its missing columns anyway) does the most frequent candidate decide, so the error lists sensible cells.
 */
import { headerKey, type HeaderIndex } from './header.ts';

export const DELIMITERS = [',', '\t', '，'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

const SAMPLE_LINES = 50;

export function detectDelimiter(sample: string, index: HeaderIndex): Delimiter {
  const lines = sample
    .split(/\r\n|\n|\r/)
    .filter((l) => l.trim() !== '')
    .slice(0, SAMPLE_LINES);
  let best: Delimiter = ',';
  let bestScore = 0;
  for (const d of DELIMITERS) {
    for (const line of lines) {
      const known = new Set<string>();
      for (const cell of line.split(d)) {
        const key = index.get(headerKey(cell.trim().replace(/^"|"$/g, '')));
        if (key !== undefined) known.add(key);
      }
      if (known.size > bestScore) {
        bestScore = known.size;
        best = d;
      }
    }
  }
  if (bestScore > 0) return best;
  let mostCount = 0;
  for (const d of DELIMITERS) {
    const count = lines.reduce((n, l) => n + l.split(d).length - 1, 0);
    if (count > mostCount) {
      mostCount = count;
      best = d;
    }
  }
  return best;
}

export function delimiterName(d: Delimiter): string {
  return d === ',' ? '逗号' : d === '\t' ? '制表符' : '全角逗号“，”';
}
