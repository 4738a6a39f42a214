/**
 * 值摘要 — a 64-bit digest of JSON-like values taken from the values themselves, without writing them out
 * as JSON first. A night compares each ledger month it computes with the stored one by digest; taken over
 * the month's JSON document, every month of every project was serialised each night — a sixth of a night's
 * allocation — only to find, for nearly all of them, that nothing changed. Now the document is written only
 * for a month whose digest differs (night/result.ts ledgerMonthsOf).
 *
 * What it tells apart is what JSON.stringify tells apart: `undefined` is null (as a column holds an absent
 * field), an object's members are taken in their order with `undefined` ones left out, -0 is 0. Two lanes
 * of 32-bit multiply-rotate mixing (murmur3's constants) with a final avalanche (its fmix32): a change
 * detector, not a cryptographic hash — two different months or results digest alike with a chance of about
 * 2⁻⁶⁴ per comparison; the facts it digests come from the bureau's own imports, and each finding (what a
 * review or a case rests on) keeps its sha1 content digest.
 */

const TAG_NULL = 1;
const TAG_TRUE = 2;
const TAG_FALSE = 3;
const TAG_INT = 4;
const TAG_NUMBER = 5;
const TAG_STRING = 6;
const TAG_ARRAY = 7;
const TAG_OBJECT = 8;
const TWO_32 = 4294967296;

export class ValueDigest {
  private a = 0x243f6a88 | 0;
  private b = 0x85a308d3 | 0;
  private n = 0;

  /** one 32-bit word into both lanes, each with its own multiplier and rotation, the lanes feeding each other */
  word(x: number): void {
    const a = Math.imul(this.a ^ x, 0xcc9e2d51);
    const b = Math.imul(this.b ^ x, 0x1b873593);
    // `| 0`: the lanes stay 32-bit integers (the next `^` would take them so anyway)
    this.a = (((a << 15) | (a >>> 17)) + b) | 0;
    this.b = ((b << 13) | (b >>> 19)) ^ a;
    this.n++;
  }

  /** its tag, its length, then its UTF-16 units two to a word — the same words as word() by word(), in a local loop (strings are most of a ledger's words) */
  string(s: string): void {
    this.word(TAG_STRING);
    const n = s.length;
    this.word(n);
    let a = this.a;
    let b = this.b;
    let i = 0;
    for (; i + 1 < n; i += 2) {
      const x = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16);
      const ma = Math.imul(a ^ x, 0xcc9e2d51);
      const mb = Math.imul(b ^ x, 0x1b873593);
      a = (((ma << 15) | (ma >>> 17)) + mb) | 0;
      b = ((mb << 13) | (mb >>> 19)) ^ ma;
    }
    this.a = a;
    this.b = b;
    this.n += i >> 1;
    if (i < n) this.word(s.charCodeAt(i));
  }

  value(v: unknown): void {
    if (v === null || v === undefined) this.word(TAG_NULL);
    else if (v === true) this.word(TAG_TRUE);
    else if (v === false) this.word(TAG_FALSE);
    else if (typeof v === 'number') {
      if (Number.isSafeInteger(v)) {
        this.word(TAG_INT);
        this.word(v | 0);
        this.word(Math.floor(v / TWO_32) | 0);
      } else {
        this.word(TAG_NUMBER);
        this.string(JSON.stringify(v));
      }
    } else if (typeof v === 'string') this.string(v);
    else if (Array.isArray(v)) {
      this.word(TAG_ARRAY);
      this.word(v.length);
      for (const x of v) this.value(x);
    } else if (typeof v === 'object') {
      this.word(TAG_OBJECT);
      const o = v as Record<string, unknown>;
      for (const k in o) {
        const x = o[k];
        if (x === undefined || typeof x === 'function') continue;
        this.string(k);
        this.value(x);
      }
      this.word(TAG_OBJECT);
    } else this.string(String(v));
  }

  /** The digest: 8 bytes, base64url (11 characters). */
  digest(): string {
    const out = Buffer.allocUnsafe(8);
    const fmix = (h: number): number => {
      h ^= h >>> 16;
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      return h ^ (h >>> 16);
    };
    const a = fmix(this.a ^ this.n);
    const b = fmix(this.b ^ a);
    out.writeInt32LE(fmix(a ^ Math.imul(b, 0x9e3779b1)), 0);
    out.writeInt32LE(b, 4);
    return out.toString('base64url');
  }
}
