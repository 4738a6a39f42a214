/**
 * 施工单位报送 — the contractor portal's reads and writes (issue 20): the projects a unit may see (the general
 * contractor of, or an employer on the current roster of), what it filed for a month, and the submissions.
 * Engine-neutral SQL (src/store/sql.ts).
 */
import { marks, type Sql } from '../sql.ts';

export interface UnitProject {
  id: number;
  code: string;
  name: string;
  county: string;
  pay_day: number;
  /** general contractor (总承包) rather than only an employer on the roster (用工单位) */
  is_contractor: boolean;
}

export interface SubmissionRow {
  id: number;
  submitted_at: string;
  token_id: number;
  submitter: string;
  uscc: string;
  kind: string;
  file_name: string;
  status: 'accepted' | 'rejected' | 'duplicate';
  batch_id: number | null;
  problem_count: number;
  problems: string;
  project_codes: string;
}

export type SubmissionInput = Omit<SubmissionRow, 'id'>;

export class PortalRepo {
  constructor(private readonly sql: Sql) {}

  /** The unit's projects: general contractor of, or employer of someone on the current roster of. */
  async projectsOfUnit(uscc: string): Promise<UnitProject[]> {
    const rows = await this.sql.all<UnitProject & { is_contractor: unknown }>(
      `SELECT p.id, p.code, p.name, p.county, p.pay_day, CASE WHEN p.contractor_uscc = ? THEN 1 ELSE 0 END AS is_contractor
         FROM projects p
        WHERE p.contractor_uscc = ?
           OR EXISTS (SELECT 1 FROM roster_entries r WHERE r.project_id = p.id AND r.employer_uscc = ? AND r.superseded_by IS NULL)
        ORDER BY p.code`,
      [uscc, uscc, uscc],
    );
    return rows.map((r) => ({ ...r, id: Number(r.id), pay_day: Number(r.pay_day), is_contractor: Number(r.is_contractor) === 1 }));
  }

  /** The identity numbers of the unit's own workers on a project's current roster (it is their employer). */
  async employeesOn(projectId: number, uscc: string): Promise<Set<string>> {
    const rows = await this.sql.all<{ id_number: string }>('SELECT DISTINCT id_number FROM roster_entries WHERE project_id = ? AND employer_uscc = ? AND superseded_by IS NULL', [projectId, uscc]);
    return new Set(rows.map((r) => r.id_number));
  }

  /** Current wage-table rows per project for one month. */
  async payrollCounts(projectIds: readonly number[], month: string): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    if (projectIds.length === 0) return out;
    const rows = await this.sql.all<{ project_id: number; n: number }>(
      `SELECT project_id, COUNT(*) AS n FROM payroll_rows WHERE month = ? AND superseded_by IS NULL AND project_id IN (${marks(projectIds.length)}) GROUP BY project_id`,
      [month, ...projectIds],
    );
    for (const r of rows) out.set(Number(r.project_id), Number(r.n));
    return out;
  }

  async insertSubmission(s: SubmissionInput): Promise<number> {
    const row = await this.sql.get<{ id: number }>(
      `INSERT INTO portal_submissions (submitted_at, token_id, submitter, uscc, kind, file_name, status, batch_id, problem_count, problems, project_codes)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [s.submitted_at, s.token_id, s.submitter, s.uscc, s.kind, s.file_name, s.status, s.batch_id, s.problem_count, s.problems, s.project_codes],
    );
    return Number(row!.id);
  }

  /** Submissions newest first: one unit's, or (uscc null) every unit's. */
  async submissions(filter: { uscc: string | null; status?: string | null; limit: number }): Promise<SubmissionRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.uscc !== null) {
      where.push('uscc = ?');
      params.push(filter.uscc);
    }
    if (filter.status) {
      where.push('status = ?');
      params.push(filter.status);
    }
    const rows = await this.sql.all<SubmissionRow>(
      `SELECT * FROM portal_submissions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
      [...params, filter.limit],
    );
    return rows.map((r) => ({
      ...r,
      id: Number(r.id),
      token_id: Number(r.token_id),
      batch_id: r.batch_id === null ? null : Number(r.batch_id),
      problem_count: Number(r.problem_count),
      problems: typeof r.problems === 'string' ? r.problems : JSON.stringify(r.problems),
      project_codes: typeof r.project_codes === 'string' ? r.project_codes : JSON.stringify(r.project_codes),
    }));
  }

  /** Unit names by credit code (the employers table). */
  async unitNames(usccs: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (usccs.length === 0) return out;
    for (const r of await this.sql.all<{ uscc: string; name: string }>(`SELECT uscc, name FROM employers WHERE uscc IN (${marks(usccs.length)})`, [...usccs])) out.set(r.uscc, r.name);
    return out;
  }
}

// ——— files (a contractor's scans), answers to warnings, signed wage tables ———

export type FilePurpose = 'evidence' | 'signed_table';

/** A stored file without its bytes (lists never read the content). */
export interface FileMeta {
  id: number;
  uploaded_at: string;
  submitter: string;
  uscc: string;
  project_id: number;
  purpose: FilePurpose;
  response_id: number | null;
  file_name: string;
  media_type: string;
  byte_size: number;
  sha256: string;
}

export interface FileInput {
  readonly uploadedAt: string;
  readonly tokenId: number;
  readonly submitter: string;
  readonly uscc: string;
  readonly projectId: number;
  readonly purpose: FilePurpose;
  readonly responseId: number | null;
  readonly fileName: string;
  readonly mediaType: string;
  readonly sha256: string;
  readonly content: Buffer;
}

export type ResponseStatus = 'submitted' | 'returned' | 'accepted';

export interface ResponseRow {
  id: number;
  warning_key: string;
  rectification_id: number;
  project_id: number;
  uscc: string;
  submitter: string;
  action: string;
  body: string;
  responded_on: string;
  responded_at: string;
  status: ResponseStatus;
  reviewed_by: string | null;
  reviewed_at: string | null;
  review_reason: string | null;
}

export interface ConfirmationRow {
  id: number;
  project_id: number;
  month: string;
  batch_id: number;
  submission_id: number | null;
  file_id: number;
  uscc: string;
  submitter: string;
  attached_at: string;
}

const FILE_META = 'id, uploaded_at, submitter, uscc, project_id, purpose, response_id, file_name, media_type, byte_size, sha256';
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const dayText = (v: unknown): string => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));

function fileMeta(r: FileMeta): FileMeta {
  return { ...r, id: Number(r.id), project_id: Number(r.project_id), response_id: num(r.response_id), byte_size: Number(r.byte_size) };
}
function responseRow(r: ResponseRow): ResponseRow {
  return { ...r, id: Number(r.id), rectification_id: Number(r.rectification_id), project_id: Number(r.project_id), responded_on: dayText(r.responded_on) };
}
function confirmationRow(r: ConfirmationRow): ConfirmationRow {
  return { ...r, id: Number(r.id), project_id: Number(r.project_id), batch_id: Number(r.batch_id), submission_id: num(r.submission_id), file_id: Number(r.file_id) };
}

export class PortalUploadsRepo {
  constructor(private readonly sql: Sql) {}

  async insertFile(f: FileInput): Promise<number> {
    const row = await this.sql.get<{ id: number }>(
      `INSERT INTO portal_files (uploaded_at, token_id, submitter, uscc, project_id, purpose, response_id, file_name, media_type, byte_size, sha256, content)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [f.uploadedAt, f.tokenId, f.submitter, f.uscc, f.projectId, f.purpose, f.responseId, f.fileName, f.mediaType, f.content.length, f.sha256, f.content],
    );
    return Number(row!.id);
  }

  async fileMeta(id: number): Promise<FileMeta | undefined> {
    const r = await this.sql.get<FileMeta>(`SELECT ${FILE_META} FROM portal_files WHERE id = ?`, [id]);
    return r ? fileMeta(r) : undefined;
  }

  /** A file with its bytes (a Buffer on both engines). */
  async fileContent(id: number): Promise<(FileMeta & { content: Buffer }) | undefined> {
    const r = await this.sql.get<FileMeta & { content: Buffer }>(`SELECT ${FILE_META}, content FROM portal_files WHERE id = ?`, [id]);
    if (!r) return undefined;
    if (!Buffer.isBuffer(r.content)) throw new TypeError('portal_files.content did not come back as bytes');
    return { ...fileMeta(r), content: r.content };
  }

  async filesOfResponses(ids: readonly number[]): Promise<FileMeta[]> {
    if (ids.length === 0) return [];
    const rows = await this.sql.all<FileMeta>(`SELECT ${FILE_META} FROM portal_files WHERE response_id IN (${marks(ids.length)}) ORDER BY id`, [...ids]);
    return rows.map(fileMeta);
  }

  async filesByIds(ids: readonly number[]): Promise<FileMeta[]> {
    if (ids.length === 0) return [];
    return (await this.sql.all<FileMeta>(`SELECT ${FILE_META} FROM portal_files WHERE id IN (${marks(ids.length)}) ORDER BY id`, [...ids])).map(fileMeta);
  }

  async insertResponse(r: Omit<ResponseRow, 'id' | 'status' | 'reviewed_by' | 'reviewed_at' | 'review_reason'> & { token_id: number }): Promise<number> {
    const row = await this.sql.get<{ id: number }>(
      `INSERT INTO warning_responses (warning_key, rectification_id, project_id, uscc, token_id, submitter, action, body, responded_on, responded_at, status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'submitted') RETURNING id`,
      [r.warning_key, r.rectification_id, r.project_id, r.uscc, r.token_id, r.submitter, r.action, r.body, r.responded_on, r.responded_at],
    );
    return Number(row!.id);
  }

  async response(id: number): Promise<ResponseRow | undefined> {
    const r = await this.sql.get<ResponseRow>('SELECT * FROM warning_responses WHERE id = ?', [id]);
    return r ? responseRow(r) : undefined;
  }

  /** The answers to some warnings (of one unit, or every unit's when uscc is null), oldest first. */
  async responsesOf(keys: readonly string[], uscc: string | null): Promise<ResponseRow[]> {
    if (keys.length === 0) return [];
    const rows = await this.sql.all<ResponseRow>(
      `SELECT * FROM warning_responses WHERE warning_key IN (${marks(keys.length)})${uscc === null ? '' : ' AND uscc = ?'} ORDER BY id`,
      uscc === null ? [...keys] : [...keys, uscc],
    );
    return rows.map(responseRow);
  }

  /** Marks answers reviewed (returned with a reason, or accepted by the warning's 销号): how many changed. */
  async reviewResponses(ids: readonly number[], input: { status: Exclude<ResponseStatus, 'submitted'>; by: string; at: string; reason: string }): Promise<number> {
    if (ids.length === 0) return 0;
    return this.sql.run(
      `UPDATE warning_responses SET status = ?, reviewed_by = ?, reviewed_at = ?, review_reason = ? WHERE status = 'submitted' AND id IN (${marks(ids.length)})`,
      [input.status, input.by, input.at, input.reason, ...ids],
    );
  }

  /** The wage-table batch a project-month's current rows came from (the latest, if several), or null. */
  async wageTableBatch(projectId: number, month: string): Promise<number | null> {
    const r = await this.sql.get<{ b: number | null }>('SELECT MAX(batch_id) AS b FROM payroll_rows WHERE project_id = ? AND month = ? AND superseded_by IS NULL', [projectId, month]);
    return r?.b === null || r?.b === undefined ? null : Number(r.b);
  }

  /** The portal submission that produced a batch (null: the bureau imported it). */
  async submissionOfBatch(batchId: number): Promise<number | null> {
    const r = await this.sql.get<{ id: number }>("SELECT id FROM portal_submissions WHERE batch_id = ? AND status = 'accepted' ORDER BY id LIMIT 1", [batchId]);
    return r ? Number(r.id) : null;
  }

  async insertConfirmation(c: Omit<ConfirmationRow, 'id'> & { token_id: number }): Promise<number> {
    const row = await this.sql.get<{ id: number }>(
      `INSERT INTO portal_confirmations (project_id, month, batch_id, submission_id, file_id, uscc, token_id, submitter, attached_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [c.project_id, c.month, c.batch_id, c.submission_id, c.file_id, c.uscc, c.token_id, c.submitter, c.attached_at],
    );
    return Number(row!.id);
  }

  /** Signed tables newest first: of some projects, or of some batches. */
  async confirmations(filter: { projectIds?: readonly number[]; batchIds?: readonly number[]; limit: number }): Promise<ConfirmationRow[]> {
    const [column, ids] = filter.projectIds ? ['project_id', filter.projectIds] : ['batch_id', filter.batchIds ?? []];
    if (ids.length === 0) return [];
    const rows = await this.sql.all<ConfirmationRow>(`SELECT * FROM portal_confirmations WHERE ${column} IN (${marks(ids.length)}) ORDER BY id DESC LIMIT ?`, [...ids, filter.limit]);
    return rows.map(confirmationRow);
  }

  /** Project codes and names by id. */
  async projectNames(ids: readonly number[]): Promise<Map<number, { code: string; name: string }>> {
    const out = new Map<number, { code: string; name: string }>();
    if (ids.length === 0) return out;
    for (const r of await this.sql.all<{ id: number; code: string; name: string }>(`SELECT id, code, name FROM projects WHERE id IN (${marks(ids.length)})`, [...ids]))
      out.set(Number(r.id), { code: r.code, name: r.name });
    return out;
  }
}
