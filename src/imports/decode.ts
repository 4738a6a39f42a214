/**
 * Encoding detection and decoding of an import file, streamed in bounded memory.
 *
 * Files come as UTF-8 (with or without BOM) or as GB18030/GBK, which is what Excel on a Chinese Windows
 * writes. The decision is made on the first bytes that are not ASCII (ASCII is the same in both, so a file
 * whose first 64 KB are ASCII headers is not misjudged): strict UTF-8 first, then GB18030 with the
 * built-in, fatal TextDecoder (it follows GB18030-2022; iconv-lite differs on 18 codes). Anything else is
 * rejected with a message the clerk can act on.
 *
 * The decoder hands the CSV parser UTF-8 bytes cut at line ends. Cutting at line ends keeps every
 * multi-byte character whole (0x0A/0x0D are never part of a UTF-8 or GB18030 sequence), so each piece is
 * validated on its own, and a bad byte can be reported with its physical line number. Valid UTF-8 is
 * passed through untouched (checked natively with `isUtf8`, no string is built).
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';

export type FileEncoding = 'utf-8' | 'gb18030';

/** The file cannot be read as text; `line` is the 1-based physical line of the first bad byte (0 = file). */
export class EncodingError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** A single line longer than this is not a table row: reject instead of buffering without bound. */
export const MAX_LINE_BYTES = 8 * 1024 * 1024;

const SAVE_AS_ADVICE = '请在 Excel 中“另存为”→“CSV UTF-8(逗号分隔)(*.csv)”后重新导入';

export class FileDecoder {
  /** undefined while every byte so far was ASCII (then either encoding reads the file the same) */
  private chosen: FileEncoding | undefined;
  private bom = false;
  private carry: Buffer | undefined;
  private head: Buffer | undefined;
  private started = false;
  /** physical lines wholly handed on before the next piece */
  private linesBefore = 0;
  private gb: TextDecoder | undefined;

  /** The encoding to record: UTF-8 when the file was pure ASCII. */
  get encoding(): string {
    if (this.chosen === 'gb18030') return 'gb18030';
    return this.bom ? 'utf-8-bom' : 'utf-8';
  }

  /** Decodes the next chunk of the file; returns UTF-8 bytes for the parser (possibly empty). */
  push(chunk: Buffer): Buffer | undefined {
    if (!this.started) {
      // a signature (BOM, zip header) needs its first four bytes together, however the stream is cut
      this.head = this.head ? Buffer.concat([this.head, chunk]) : chunk;
      if (this.head.length < 4) return undefined;
      chunk = this.sniffSignature(this.head);
      this.head = undefined;
      this.started = true;
    }
    let cut = chunk.lastIndexOf(0x0a);
    if (cut < 0) cut = chunk.lastIndexOf(0x0d);
    if (cut < 0) {
      this.carry = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
      if (this.carry.length > MAX_LINE_BYTES) {
        throw new EncodingError(
          this.linesBefore + 1,
          `第${this.linesBefore + 1}行超过 8MB 仍未换行：这不像是按行分隔的表格文件（CSV），请检查文件是否正确导出`,
        );
      }
      return undefined;
    }
    const head = chunk.subarray(0, cut + 1);
    const piece = this.carry ? Buffer.concat([this.carry, head]) : head;
    this.carry = cut + 1 < chunk.length ? chunk.subarray(cut + 1) : undefined;
    return this.convert(piece);
  }

  /** The last line, if the file does not end with a line break. */
  end(): Buffer | undefined {
    if (!this.started) {
      if (!this.head) return undefined;
      const short = this.sniffSignature(this.head); // a file of fewer than four bytes
      this.head = undefined;
      this.started = true;
      return short.length > 0 ? this.convert(short) : undefined;
    }
    const rest = this.carry;
    this.carry = undefined;
    return rest && rest.length > 0 ? this.convert(rest) : undefined;
  }

  private sniffSignature(chunk: Buffer): Buffer {
    if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
      this.bom = true;
      this.chosen = 'utf-8';
      return chunk.subarray(3);
    }
    if (chunk.length >= 2 && ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))) {
      throw new EncodingError(
        0,
        `文件是 UTF-16 编码（Excel 的“Unicode 文本”格式），系统只接受 UTF-8 或 GBK/GB18030 编码的 CSV：${SAVE_AS_ADVICE}`,
      );
    }
    if (chunk.length >= 4 && chunk[0] === 0x50 && chunk[1] === 0x4b && chunk[2] === 0x03 && chunk[3] === 0x04) {
      throw new EncodingError(0, `这是压缩包，不是 CSV 文本文件或 Excel 工作簿（.xlsx）：${SAVE_AS_ADVICE}`);
    }
    if (chunk.length >= 4 && chunk[0] === 0xd0 && chunk[1] === 0xcf && chunk[2] === 0x11 && chunk[3] === 0xe0) {
      throw new EncodingError(0, `这是旧版 Excel 工作簿（.xls），系统只接受 .xlsx 工作簿或 CSV 文本文件：请在 Excel 中另存为“Excel 工作簿(*.xlsx)”，或${SAVE_AS_ADVICE.slice(3)}`);
    }
    return chunk;
  }

  private convert(piece: Buffer): Buffer {
    const nul = piece.indexOf(0x00);
    if (nul >= 0) {
      const line = this.linesBefore + countLineBreaks(piece.subarray(0, nul)) + 1;
      throw new EncodingError(
        line,
        `第${line}行含有空字节(0x00)：文件不是 UTF-8 或 GBK 编码的文本表格（可能是 UTF-16 或二进制文件）。${SAVE_AS_ADVICE}`,
      );
    }
    let out: Buffer;
    if (this.chosen === undefined) {
      if (isAscii(piece)) {
        out = piece;
      } else if (isUtf8(piece)) {
        this.chosen = 'utf-8';
        out = piece;
      } else {
        const decoded = this.tryGb18030(piece);
        if (decoded === undefined) throw this.undecidable(piece);
        this.chosen = 'gb18030';
        out = decoded;
      }
    } else if (this.chosen === 'utf-8') {
      if (!isUtf8(piece)) {
        throw mixedEncoding(
          this.firstBadLine(piece, (l) => isUtf8(l)),
          'utf-8',
        );
      }
      out = piece;
    } else {
      const decoded = this.tryGb18030(piece);
      if (decoded === undefined) {
        throw mixedEncoding(
          this.firstBadLine(piece, (l) => this.tryGb18030(l) !== undefined),
          'gb18030',
        );
      }
      out = decoded;
    }
    this.linesBefore += countLineBreaks(piece);
    return out;
  }

  /**
   * Neither encoding reads the whole piece. The first line with non-ASCII bytes says which encoding the
   * file was meant to be in; the first line that encoding cannot read is the one to report.
   */
  private undecidable(piece: Buffer): EncodingError {
    let meant: FileEncoding | undefined;
    const line = this.firstBadLine(piece, (l) => {
      if (meant === undefined) {
        if (isAscii(l)) return true;
        if (isUtf8(l)) meant = 'utf-8';
        else if (this.tryGb18030(l) !== undefined) meant = 'gb18030';
        else return false;
        return true;
      }
      return meant === 'utf-8' ? isUtf8(l) : this.tryGb18030(l) !== undefined;
    });
    if (meant === undefined) {
      return new EncodingError(line, `文件编码无法识别：第${line}行的内容既不是 UTF-8，也不是 GBK/GB18030 编码。${SAVE_AS_ADVICE}`);
    }
    return mixedEncoding(line, meant);
  }

  private tryGb18030(piece: Buffer): Buffer | undefined {
    this.gb ??= new TextDecoder('gb18030', { fatal: true });
    try {
      return Buffer.from(this.gb.decode(piece), 'utf8');
    } catch {
      return undefined;
    }
  }

  /** The physical line of the first line in `piece` that `valid` refuses (error path only). */
  private firstBadLine(piece: Buffer, valid: (line: Buffer) => boolean): number {
    let start = 0;
    let line = this.linesBefore + 1;
    while (start < piece.length) {
      let end = start;
      while (end < piece.length && piece[end] !== 0x0a && piece[end] !== 0x0d) end++;
      if (!valid(piece.subarray(start, end))) return line;
      if (piece[end] === 0x0d && piece[end + 1] === 0x0a) end++;
      start = end + 1;
      line++;
    }
    return line;
  }
}

function mixedEncoding(line: number, meant: FileEncoding): EncodingError {
  const name = meant === 'utf-8' ? 'UTF-8' : 'GBK/GB18030';
  return new EncodingError(
    line,
    `第${line}行含有不是 ${name} 编码的字节：文件前面是 ${name} 编码，这一行却是另一种编码（可能是从别的文件复制粘贴或拼接进来的）。${SAVE_AS_ADVICE}`,
  );
}

/** Physical line breaks in a piece: LF, CRLF and a lone CR each count once. */
export function countLineBreaks(piece: Buffer): number {
  let n = 0;
  for (let i = piece.indexOf(0x0a); i >= 0; i = piece.indexOf(0x0a, i + 1)) n++;
  for (let i = piece.indexOf(0x0d); i >= 0; i = piece.indexOf(0x0d, i + 1)) if (piece[i + 1] !== 0x0a) n++;
  return n;
}
