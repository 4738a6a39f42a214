/**
 * 附件 — the scans a contractor attaches (evidence of a warning's answer, the signed wage table): PDF, PNG or
 * JPEG only, told by the file's first bytes (a renamed spreadsheet or an executable named `.pdf` is refused),
 * and at most ATTACHMENT_MAX_BYTES each. Every check runs before anything is written: a refused upload
 * stores nothing. The bytes are kept in the database (portal_files), so both engines and every backup hold them.
 */
import { createHash } from 'node:crypto';
import { ApiError } from '../../api/errors.ts';
import { storedFileName } from '../../api/fileName.ts';
import { maskText } from '../../api/masking.ts';

/** The server's limit on one attached file (documented in docs/API.md). */
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
/** Evidence files one answer may carry. */
export const ATTACHMENT_MAX_FILES = 5;

export type AttachmentType = 'application/pdf' | 'image/png' | 'image/jpeg';

const SIGNATURES: readonly { type: AttachmentType; bytes: readonly number[] }[] = [
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
];

/** The file's type by its magic bytes, or null when it is none of the accepted ones. */
export function attachmentTypeOf(bytes: Buffer): AttachmentType | null {
  for (const s of SIGNATURES) if (bytes.length >= s.bytes.length && s.bytes.every((b, i) => bytes[i] === b)) return s.type;
  return null;
}

export const EXTENSION_OF: Record<AttachmentType, string> = { 'application/pdf': 'pdf', 'image/png': 'png', 'image/jpeg': 'jpg' };

/** A file as received (multipart part or raw body). */
export interface Upload {
  readonly name: string;
  readonly bytes: Buffer;
}

/** A file that passed every check: what is stored. */
export interface CheckedFile {
  readonly fileName: string;
  readonly mediaType: AttachmentType;
  readonly sha256: string;
  readonly content: Buffer;
}

export const tooLarge = (name: string) =>
  new ApiError(413, 'FILE_TOO_LARGE', `文件“${maskText(name)}”超过 ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MiB 上限：请降低扫描分辨率或分成几页上传（未保存任何文件）`);

/** Checks one file (empty, too large, not a PDF/PNG/JPEG by its bytes) → a 4xx ApiError, nothing stored. */
export function checkUpload(u: Upload): CheckedFile {
  const name = cleanFileName(u.name, 'scan');
  if (u.bytes.length === 0) throw new ApiError(400, 'FILE_MISSING', `文件“${maskText(name)}”是空的（未保存任何文件）`);
  if (u.bytes.length > ATTACHMENT_MAX_BYTES) throw tooLarge(name);
  const mediaType = attachmentTypeOf(u.bytes);
  if (!mediaType) {
    throw new ApiError(415, 'UNSUPPORTED_FILE_TYPE', `文件“${maskText(name)}”不是 PDF、PNG 或 JPEG 扫描件（按文件内容判断，不看文件名）：请扫描或拍照后另存为 PDF 或图片再上传（未保存任何文件）`);
  }
  return { fileName: maskText(name), mediaType, sha256: createHash('sha256').update(u.bytes).digest('hex'), content: u.bytes };
}

/** A sent file name as stored: its last path segment, no control characters, bounded (the batches' rule). */
export const cleanFileName = storedFileName;

/** Content-Disposition for a stored file (ASCII fallback plus the UTF-8 name). */
export function dispositionOf(id: number, fileName: string, mediaType: string): string {
  const ext = EXTENSION_OF[mediaType as AttachmentType] ?? 'bin';
  return `attachment; filename="huxin-file-${id}.${ext}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
