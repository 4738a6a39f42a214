/**
 * 结果片段 — large members of what an outcome version keeps (its report part's members; its assessment's
 * deposit requirement) stored once in `outcome_parts`, by digest, and referenced as `{"#part": digest}`.
 * A pay day changes a project's figures, not its names, month tables or deposit requirement: a new outcome
 * version then writes only what changed, and a version row stays small enough to share its page (a version
 * whose assessment carried its 3.8 KB requirement took two pages). Readers resolve the references
 * (resolveMembers); a member stored inline (an older version) is read as it is. Parts are stored packed
 * (packedJson.ts), packed only when not stored already (saveParts).
 */
import { createHash } from 'node:crypto';
import { packJson, unpackJson } from '../packedJson.ts';
import { marks, type Sql } from '../sql.ts';

/** A member this long (JSON) or longer is stored once and referenced. */
export const PART_MIN = 512;
/** The reference kept in a member's place. */
export const PART_REF = '#part';

const sha = (s: string): string => createHash('sha1').update(s).digest('base64url');

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const isRef = (v: unknown): v is { [PART_REF]: string } => isObject(v) && typeof v[PART_REF] === 'string' && Object.keys(v).length === 1;

/**
 * An object with its large members replaced by references (collected into `parts`, digest → JSON), the
 * others as they are, in their order; anything not an object as it is.
 */
export function compactMembers(value: unknown, parts: Map<string, string>, min = PART_MIN): unknown {
  if (!isObject(value)) return value;
  const out: Obj = {};
  for (const [k, v] of Object.entries(value)) {
    const text = JSON.stringify(v);
    out[k] = text !== undefined && text.length >= min ? referenceTo(text, parts) : v;
  }
  return out;
}

/** The reference to a member's JSON, the member collected into `parts`. */
export function referenceTo(text: string, parts: Map<string, string>): { [PART_REF]: string } {
  const h = sha(text);
  parts.set(h, text);
  return { [PART_REF]: h };
}


/** The digests an object's members reference. */
export function partRefsOf(value: unknown): string[] {
  return isObject(value) ? Object.values(value).filter(isRef).map((r) => r[PART_REF]) : [];
}

/**
 * Stores parts not stored yet (a part is stored once, whichever version or project holds it). Those stored
 * already — most of a night's: the names, the month tables, the parameters — are looked up by digest first,
 * so only new ones are packed (gzip was a sixth of a pay-day night's apply).
 */
export async function saveParts(sql: Sql, parts: ReadonlyMap<string, string>): Promise<void> {
  const stored = new Set<string>();
  const hashes = [...parts.keys()];
  for (let i = 0; i < hashes.length; i += 500) {
    const some = hashes.slice(i, i + 500);
    for (const [h] of await sql.rows<[string]>(`SELECT hash FROM outcome_parts WHERE hash IN (${marks(some.length)})`, some)) stored.add(h);
  }
  const all = [...parts].filter(([h]) => !stored.has(h));
  for (let i = 0; i < all.length; i += 200) {
    const some = all.slice(i, i + 200);
    await sql.run(`INSERT INTO outcome_parts (hash, doc) VALUES ${some.map(() => '(?, ?)').join(', ')} ON CONFLICT (hash) DO NOTHING`, some.flatMap(([h, doc]) => [h, packJson(doc)]));
  }
}

/** Resolves, in place, the referenced members of each object (parsed JSON) from outcome_parts. */
export async function resolveMembers(sql: Sql, objects: readonly unknown[]): Promise<void> {
  const refs = new Set<string>();
  for (const o of objects) if (isObject(o)) for (const v of Object.values(o)) if (isRef(v)) refs.add(v[PART_REF]);
  if (refs.size === 0) return;
  const docs = new Map<string, string>();
  const wanted = [...refs];
  for (let i = 0; i < wanted.length; i += 500) {
    const some = wanted.slice(i, i + 500);
    for (const [hash, doc] of await sql.rows<[string, string]>(`SELECT hash, doc FROM outcome_parts WHERE hash IN (${marks(some.length)})`, some)) docs.set(hash, unpackJson(doc));
  }
  for (const o of objects) {
    if (!isObject(o)) continue;
    for (const [k, v] of Object.entries(o)) {
      if (!isRef(v)) continue;
      const doc = docs.get(v[PART_REF]);
      if (doc === undefined) throw new Error(`结果片段缺失：${v[PART_REF]}`);
      o[k] = JSON.parse(doc) as unknown;
    }
  }
}
