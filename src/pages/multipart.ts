/**
 * A multipart/form-data body built by a page to forward a form's fields and files to the API in process
 * (the API reads and checks them exactly as it would a client's upload).
 */
import { randomBytes } from 'node:crypto';

export interface FormFile {
  readonly field: string;
  readonly name: string;
  readonly bytes: Buffer;
}

/** A header parameter value: quotes and line breaks would end it early (the API stores the name masked anyway). */
const param = (v: string) => v.replace(/["\r\n\\]/g, '_');

export function multipartBody(fields: Readonly<Record<string, string>>, files: readonly FormFile[]): { payload: Buffer; contentType: string } {
  const boundary = `----huxin${randomBytes(12).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${param(name)}"\r\n\r\n${value}\r\n`, 'utf8'));
  }
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${param(f.field)}"; filename="${param(f.name)}"\r\nContent-Type: application/octet-stream\r\n\r\n`, 'utf8'), f.bytes, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
