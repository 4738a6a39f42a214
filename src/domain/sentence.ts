/**
 * 说明文字 — a finding's sentence is stored as a template whose day-dependent parts are filled in for the
 * day it is shown on: `{{asOf}}` (that day) and `{{daysSince:YYYY-MM-DD}}` (days from a due date to that
 * day; `{{daysSince:YYYY-MM-DD+K}}` adds K). A finding whose facts did not change reads the same template every night, so a quiet night stores
 * nothing new (docs/STORAGE.md), while "已逾期N天" still counts to the day the reader asks for.
 */
import { daysBetween, type IsoDate } from './date.ts';

const MARKER = /\{\{(asOf|daysSince:(\d{4}-\d{2}-\d{2})(?:\+(\d+))?)\}\}/g;

/** The sentence as of `asOf`. */
export function renderSentence(template: string, asOf: IsoDate): string {
  if (!template.includes('{{')) return template;
  return template.replace(MARKER, (_m, _what: string, since: string | undefined, plus: string | undefined) =>
    since ? String(daysBetween(since as IsoDate, asOf) + (plus ? Number(plus) : 0)) : asOf,
  );
}

/** The marker for the days from `date` to the day shown. */
export const daysSince = (date: IsoDate | string, plus = 0): string => (plus === 0 ? `{{daysSince:${date}}}` : `{{daysSince:${date}+${plus}}}`);
/** The marker for the day shown. */
export const AS_OF = '{{asOf}}';
