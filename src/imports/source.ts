/** The bytes of an import: a file on disk (streamed, never read whole) or an uploaded buffer. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { ImportRequest } from './types.ts';

/** Read size: large enough that per-chunk overhead vanishes, small enough to keep memory flat. */
export const CHUNK_BYTES = 256 * 1024;

export async function* byteChunks(source: ImportRequest['source']): AsyncGenerator<Buffer> {
  if ('buffer' in source) {
    // slice an upload like a file so one huge request body is parsed in the same bounded steps; between
    // slices give the event loop a turn (as a file's async reads do), so the server keeps answering other
    // requests while an upload is imported instead of freezing until the whole file is in
    for (let i = 0; i < source.buffer.length; i += CHUNK_BYTES) {
      if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      yield source.buffer.subarray(i, i + CHUNK_BYTES);
    }
    return;
  }
  for await (const chunk of createReadStream(source.path, { highWaterMark: CHUNK_BYTES })) yield chunk as Buffer;
}

/** SHA-256 of the file's bytes, hex: the identity of "the same file" for idempotent re-imports. */
export async function sha256Of(source: ImportRequest['source']): Promise<string> {
  const hash = createHash('sha256');
  if ('buffer' in source) return hash.update(source.buffer).digest('hex');
  for await (const chunk of byteChunks(source)) hash.update(chunk);
  return hash.digest('hex');
}
