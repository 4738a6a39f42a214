/**
 * 工人编号 — the opaque worker id (`w_…`) by which every role looks a worker up (issue 15, finding 1).
 *
 * A masked identity number (`130529********1642`) leaves about two thousand candidates once the check
 * character is known; if a masked role could ask "does this number exist?" it could recover every number.
 * So a masked role never names a worker by identity number: each response that carries an identity number
 * carries the worker's opaque id beside it (`workerId`, added by the access hook), and the look-ups take that.
 *
 * The id is the identity number encrypted with a server key (AES-256, one block: the 17 digits as an
 * integer and eight zero bytes): deterministic (the same worker has the same id in every response, links
 * can be bookmarked), reversible without a table, and unforgeable — an id made up without the key decrypts
 * to non-zero check bytes (chance 2⁻⁶⁴) and is refused exactly like an id of nobody. The key is random,
 * created on first use and kept in the database (`server_secrets`), so the CLI and every server process
 * agree on it, and copying ids out of one database tells nothing about the numbers.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Store } from '../store/store.ts';
import { idCheckCharacter } from '../domain/idNumber.ts';

export const WORKER_REF_PREFIX = 'w_';
const KEY_NAME = 'worker_ref_key';
const REF = /^w_[A-Za-z0-9_-]{22}$/;

/** keys already read, per connection the store is bound to (the server's store: read once) */
const keys = new WeakMap<object, Buffer>();

/** The database's worker-id key (created on first use, then kept per connection). */
export async function workerRefKey(store: Store): Promise<Buffer> {
  const cached = keys.get(store.sql);
  if (cached) return cached;
  let secret = await store.secrets.get(KEY_NAME);
  if (secret === null) {
    // two processes may race here: the primary key keeps the first, both then read it
    await store.secrets.putIfAbsent(KEY_NAME, randomBytes(32).toString('base64'), new Date().toISOString());
    secret = (await store.secrets.get(KEY_NAME))!;
  }
  const key = Buffer.from(secret, 'base64');
  keys.set(store.sql, key);
  return key;
}

export const isWorkerRef = (s: string): boolean => REF.test(s);

/** Ids already made under each key (a page names the same workers again and again); bounded. */
const made = new WeakMap<Buffer, Map<string, string>>();
const MADE_MAX = 200_000;

/** The opaque id of a (valid, upper-case) identity number. */
export function workerRefOf(key: Buffer, idNumber: string): string {
  let memo = made.get(key);
  if (!memo) made.set(key, (memo = new Map()));
  const known = memo.get(idNumber);
  if (known !== undefined) return known;
  if (memo.size >= MADE_MAX) memo.clear();
  const ref = encrypt(key, idNumber);
  memo.set(idNumber, ref);
  return ref;
}

function encrypt(key: Buffer, idNumber: string): string {
  const block = Buffer.alloc(16);
  block.writeBigUInt64BE(BigInt(idNumber.slice(0, 17)), 0);
  const c = createCipheriv('aes-256-ecb', key, null).setAutoPadding(false);
  return WORKER_REF_PREFIX + Buffer.concat([c.update(block), c.final()]).toString('base64url');
}

/** The identity number behind an opaque id, or null for an id this key never made. */
export function idNumberOfRef(key: Buffer, ref: string): string | null {
  if (!isWorkerRef(ref)) return null;
  const raw = Buffer.from(ref.slice(WORKER_REF_PREFIX.length), 'base64url');
  // one spelling per id: the last character's unused bits must be zero (else two ids would name one worker)
  if (raw.length !== 16 || raw.toString('base64url') !== ref.slice(WORKER_REF_PREFIX.length)) return null;
  const d = createDecipheriv('aes-256-ecb', key, null).setAutoPadding(false);
  const block = Buffer.concat([d.update(raw), d.final()]);
  if (block.readBigUInt64BE(8) !== 0n) return null;
  const n = block.readBigUInt64BE(0);
  if (n >= 10n ** 17n) return null;
  const first17 = n.toString().padStart(17, '0');
  return first17 + idCheckCharacter(first17);
}
