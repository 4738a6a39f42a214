/**
 * 压缩存放的 JSON — a large JSON document kept in a text column gzipped (fastest level) and base64: a ledger
 * month's lines (ledger_months) and an outcome part (outcome_parts). Their columns, dates, statuses and
 * identity numbers repeat, and shrink about 7× (a month of 120 workers: 32 KB → 4–5 KB) or to under half (a part). The digests are taken
 * over the plain JSON (or its values), so a new zlib never makes an unchanged document look changed. A
 * document stored plain, before it was packed, is read as it is: base64 never begins with `{` or `[`.
 */
import { gunzipSync, gzipSync } from 'node:zlib';

export const packJson = (json: string): string => gzipSync(json, { level: 1 }).toString('base64');

export const unpackJson = (text: string): string => (text.startsWith('{') || text.startsWith('[') ? text : gunzipSync(Buffer.from(text, 'base64')).toString('utf8'));
