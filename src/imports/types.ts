/** The importer's public contract, shared by the CLI and the API (DATA-FORMATS.md). */

/**
 * The kinds of file the bureau imports: the core kinds (DATA-FORMATS.md), the general contractors' records
 * (承包单位信用记录, issue 19 item 1: the deposit rule's history before and outside the system), then the linked registries
 * (docs/REGISTRIES.md: training, insurance, housing, care; src/registries).
 */
export const IMPORT_KINDS = [
  'projects',
  'roster',
  'payroll',
  'payments',
  'account_transactions',
  'deposits',
  'contractor_records',
  'training',
  'insurance',
  'housing',
  'care',
] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export function isImportKind(value: string): value is ImportKind {
  return (IMPORT_KINDS as readonly string[]).includes(value);
}

/** One problem of a rejected file: where it is and how to fix it (reason in Chinese). */
export interface ImportProblem {
  /** 1-based physical line in the file (a quoted field spanning lines counts each line); 0 = the file itself */
  readonly line: number;
  /** the column's header as written in the file, or null when the problem is the whole row or file */
  readonly column: string | null;
  /** the offending cell as written, or null */
  readonly value: string | null;
  readonly reason: string;
}

export interface BatchSummary {
  readonly id: number;
  readonly kind: ImportKind;
  readonly fileName: string;
  readonly sha256: string;
  readonly actor: string;
  readonly importedAt: string;
  readonly encoding: string;
  readonly rowCount: number;
  readonly inserted: number;
  readonly replaced: number;
  readonly replacedDetail: readonly unknown[];
  readonly warnings: readonly string[];
}

export type ImportOutcome =
  | { readonly status: 'imported'; readonly batch: BatchSummary }
  /** the same bytes were imported before as this kind: nothing changed, here is the earlier batch */
  | { readonly status: 'duplicate'; readonly batch: BatchSummary }
  /** nothing was written; every problem is listed */
  | { readonly status: 'rejected'; readonly problems: readonly ImportProblem[]; readonly warnings: readonly string[] };

export interface ImportRequest {
  readonly kind: ImportKind;
  /** the name the file had (recorded on the batch; never used as a path) */
  readonly fileName: string;
  /** the file's bytes: a path on disk (streamed) or an in-memory buffer (HTTP uploads) */
  readonly source: { readonly path: string } | { readonly buffer: Buffer };
  /** who imports (token name, or the OS user for the CLI) — recorded on the batch and the audit log */
  readonly actor: string;
  /** ISO timestamp of the import, passed in so tests are deterministic */
  readonly now: string;
  /**
   * The contractor portal (issue 20): the project codes the sender may file for. A row naming any other
   * project is a problem of the file, so the whole file is rejected and nothing is written.
   */
  readonly allowedProjects?: ReadonlySet<string>;
  /**
   * The contractor portal, on the projects where the sender is only an employer (用工单位, not the general
   * contractor): a roster row must name the sender as its employer, and no wage-table row is taken — the
   * project's wage table is the general contractor's to file (a wage table replaces the project-month whole).
   */
  readonly employerScope?: { readonly uscc: string; readonly projects: ReadonlySet<string> };
  /** filled with every project code the file's rows name (the portal records them on the submission) */
  readonly projectsSeen?: Set<string>;
}
