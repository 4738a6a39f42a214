/**
 * 报告文件 — writing a report's files so that a reader never sees half of them.
 *
 * `stageReportFiles` writes report.json, the CSV tables, report.xlsx (the same tables as one workbook) and report.html into a fresh temporary directory
 * beside the target (same file system, so the final rename is atomic) and fsyncs each file;
 * `publishReportFiles` renames it to `reportsDir/YYYY-MM-DD`. A directory cannot be renamed over a
 * non-empty one, so an earlier copy is first renamed aside and removed after the swap: at every instant
 * `YYYY-MM-DD/` is either the old complete set, absent for the moment between two renames, or the new
 * complete set. Temporary directories left by a crashed run (`.tmp-*`, `.old-*`) are swept on the next run.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { renderCsv } from './csv.ts';
import { renderHtml } from './html.ts';
import { renderJson } from './json.ts';
import type { Report } from './model.ts';
import { renderXlsx } from './xlsx.ts';

export interface RenderedFile {
  readonly name: string;
  readonly content: string | Buffer;
}

/** The workbook's file name in a report directory. */
export const XLSX_FILE = 'report.xlsx';

/** Every file of a report directory: report.json, the CSV tables, report.xlsx, report.html. */
export async function renderReportFiles(report: Report, json = renderJson(report)): Promise<RenderedFile[]> {
  return [
    { name: 'report.json', content: json },
    ...renderCsv(report).map((f) => ({ name: f.name, content: f.content })),
    { name: XLSX_FILE, content: await renderXlsx(report) },
    { name: 'report.html', content: renderHtml(report) },
  ];
}

/** Writes a file and flushes it to disk before returning. */
export function writeFileDurably(path: string, content: string | Buffer): void {
  const fd = openSync(path, 'w');
  try {
    const buf = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export interface StagedReport {
  readonly tempDir: string;
  readonly finalDir: string;
}

export function reportDirOf(reportsDir: string, asOf: string): string {
  return join(reportsDir, asOf);
}

export function stageReportFiles(reportsDir: string, asOf: string, files: readonly RenderedFile[]): StagedReport {
  mkdirSync(reportsDir, { recursive: true });
  const tempDir = join(reportsDir, `.tmp-${asOf}-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(tempDir);
  try {
    for (const f of files) writeFileDurably(join(tempDir, f.name), f.content);
  } catch (e) {
    rmSync(tempDir, { recursive: true, force: true });
    throw e;
  }
  return { tempDir, finalDir: reportDirOf(reportsDir, asOf) };
}

export function discardStaged(staged: StagedReport): void {
  rmSync(staged.tempDir, { recursive: true, force: true });
}

export function publishReportFiles(staged: StagedReport): void {
  let aside: string | undefined;
  if (existsSync(staged.finalDir)) {
    aside = join(dirname(staged.finalDir), `.old-${basename(staged.finalDir)}-${randomBytes(4).toString('hex')}`);
    renameSync(staged.finalDir, aside);
  }
  renameSync(staged.tempDir, staged.finalDir);
  if (aside) rmSync(aside, { recursive: true, force: true });
}

/** Removes temporary directories left behind by runs that died (a staging dir of a live process is kept). */
export function sweepStaleTemp(reportsDir: string): number {
  if (!existsSync(reportsDir)) return 0;
  let removed = 0;
  for (const name of readdirSync(reportsDir)) {
    if (!name.startsWith('.tmp-') && !name.startsWith('.old-')) continue;
    // a live run's own staging dir carries its pid; leave dirs of live processes alone
    const pid = Number(/^\.tmp-\d{4}-\d{2}-\d{2}-(\d+)-/.exec(name)?.[1]);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) continue;
    rmSync(join(reportsDir, name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Writes a report's files to a directory (the CLI's --out for csv): each file via temp + rename. */
export function writeFilesInto(dir: string, files: readonly RenderedFile[]): void {
  mkdirSync(dir, { recursive: true });
  for (const f of files) writeFileAtomically(join(dir, f.name), f.content);
}

export function writeFileAtomically(path: string, content: string | Buffer): void {
  const temp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    writeFileDurably(temp, content);
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}
