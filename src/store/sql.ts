/**
 * 存储执行器 — the one interface every repository of src/store/repos speaks: a connection or a transaction
 * of either engine (SQLite through better-sqlite3, PostgreSQL through node-postgres), async throughout.
 *
 * Repositories write their SQL once, in the subset both engines read the same way:
 * - placeholders are `?` (the PostgreSQL executor numbers them `$1, $2 …`; never put a `?` in a literal);
 * - booleans are bound as JS booleans and tested bare (`WHERE contract_signed`, `NOT x`): SQLite stores
 *   0/1, PostgreSQL `boolean`; read them back with `bool()`;
 * - dates are ISO text (`YYYY-MM-DD`) compared as such (PostgreSQL `date` columns read back as the same
 *   text); months are `YYYY-MM` text; instants ISO-8601 text; no date arithmetic in SQL;
 * - money and counts come back as JS numbers on both (PostgreSQL returns int8 and numeric as strings: the
 *   executor converts exact integers and refuses anything a double cannot hold exactly);
 * - JSON columns (text on SQLite, jsonb on PostgreSQL) are written with JSON.stringify and read with
 *   `json()` and a TypeBox schema, so what comes back is checked;
 * - `INSERT … RETURNING id`, `ON CONFLICT … DO UPDATE/NOTHING` and partial unique indexes work on both.
 * Where the engines really differ (bulk loads, upserts of many rows, case-insensitive matching) a
 * repository asks the dialect (`sql.dialect`).
 */
import { Value } from 'typebox/value';
import type { TSchema, Static } from 'typebox';

export type Engine = 'sqlite' | 'postgres';

export type Row = Record<string, unknown>;

export interface Dialect {
  readonly engine: Engine;
  /** a case-insensitive substring match of `column` against a bound `?` (SQLite LIKE is already ASCII-insensitive) */
  containsInsensitive(column: string): string;
  /** a case-sensitive substring match of `column` against a bound `?` (no wildcards in the value) */
  containsExact(column: string): string;
  /**
   * After rows were inserted with explicit ids into a table whose ids the database generates: the
   * statement that moves the generator past them (PostgreSQL's identity sequence), or null (SQLite's
   * AUTOINCREMENT follows explicit ids by itself).
   */
  afterExplicitIds(table: string, column: string): string | null;
  /**
   * The statement that makes the current transaction wait until no other transaction holds the lock named
   * `name` (held to the transaction's end), or null where every write transaction already excludes the
   * others (SQLite's BEGIN IMMEDIATE).
   */
  transactionLock(name: string): string | null;
  /**
   * What follows a table's name in FROM to read it along `index`: SQLite's `INDEXED BY`, where its planner —
   * without statistics (no ANALYZE is run) — would take another index with the same partial predicate and
   * sort; '' on PostgreSQL, whose planner has its statistics
   */
  indexedBy(index: string): string;
  /**
   * A text column that holds ASCII only (a fact snapshot), selected the fastest way to read it: SQLite hands
   * back its bytes (CAST AS BLOB: a Buffer, no decoding of UTF-8 into a string — a third of reading a
   * snapshot), PostgreSQL the text. The reader takes either (asciiOf).
   */
  asciiText(column: string): string;
}

/** What `Dialect.asciiText` selected, as a string. */
export const asciiOf = (v: string | Buffer): string => (typeof v === 'string' ? v : v.toString('latin1'));

/** How a transaction is run. */
export interface TxOptions {
  /**
   * A large write (an import of a big file): the SQLite adapter gives the connection a larger page cache
   * for the transaction's length (the indexes it inserts into are touched all over); PostgreSQL ignores it.
   */
  readonly bulk?: boolean;
  /**
   * Writes that may be lost on a power cut but never half-kept (a night's staged chunk: one lost is evaluated
   * again by the resumed night): the commit does not wait for the disk. SQLite commits it with
   * `synchronous = NORMAL` (WAL: the next synced commit or checkpoint makes it durable; the database stays
   * consistent either way), PostgreSQL with `synchronous_commit = off` for the transaction. Every other
   * transaction still waits for the disk (`synchronous = FULL`).
   */
  readonly scratch?: boolean;
}

/** A connection or a transaction. Every call is one statement. */
export interface Sql {
  readonly dialect: Dialect;
  /** every row, as objects keyed by column name */
  all<T = Row>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** every row, as arrays in column order (hot paths: no object per row) */
  rows<T extends unknown[] = unknown[]>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** the first row, or undefined */
  get<T = Row>(text: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** a statement without rows; the number of rows it changed */
  run(text: string, params?: readonly unknown[]): Promise<number>;
  /** rows in batches of about `size` (a cursor on PostgreSQL, an iterator on SQLite): a large read in bounded memory */
  batches<T extends unknown[] = unknown[]>(text: string, params: readonly unknown[], size: number): AsyncIterable<T[]>;
  /**
   * Inserts many rows into `table` (columns in `columns` order) — prepared statements on SQLite, COPY on
   * PostgreSQL. Values: numbers, strings, booleans, null; objects are stored as JSON.
   */
  insertMany(table: string, columns: readonly string[], values: readonly (readonly unknown[])[]): Promise<void>;
  /**
   * insertMany, skipping each row whose unique key is already taken (by the table or an earlier row of
   * the call); the indexes of the rows skipped, ascending (usually none). SQLite: a prepared
   * `INSERT … ON CONFLICT DO NOTHING` per row; PostgreSQL: one COPY (in a savepoint), and only when it
   * breaks a key, the rows one by one.
   */
  insertSkippingTaken(table: string, columns: readonly string[], values: readonly (readonly unknown[])[]): Promise<number[]>;
  /**
   * Runs `fn` in a transaction (a savepoint when this already is one): committed when it resolves, rolled
   * back when it throws. On SQLite write transactions take the write lock at once (BEGIN IMMEDIATE).
   */
  tx<T>(fn: (tx: Sql) => Promise<T>, options?: TxOptions): Promise<T>;
  /** true inside tx() */
  readonly inTransaction: boolean;
}

/** An open database: a Sql that also reads in consistent snapshots and can be closed. */
export interface Database extends Sql {
  /** `fn` sees one consistent state of the database for all its reads (and may not write) */
  snapshot<T>(fn: (s: Sql) => Promise<T>): Promise<T>;
  /** where it is: the file path, or the URL without its password */
  readonly location: string;
  /**
   * A mark that changes whenever anything may have been committed to the database, by any connection or
   * process; null while a write of this process is under way (nothing read then may be kept). Two equal
   * marks mean nothing was committed in between — what the read cache (src/api/readCache.ts) rests on.
   */
  changeMark(): Promise<string | null>;
  close(): Promise<void>;
}

/** A stored boolean: 0/1 on SQLite, true/false on PostgreSQL. */
export function bool(v: unknown): boolean {
  return v === true || v === 1 || v === '1' || v === 't';
}

/** A nullable stored value as `undefined` when NULL (the rules' facts use optional fields). */
export function opt<T>(v: unknown): T | undefined {
  return v === null || v === undefined ? undefined : (v as T);
}

export class StoredJsonError extends Error {
  constructor(
    readonly what: string,
    message: string,
  ) {
    super(`存储的 ${what} 数据格式不符：${message}`);
    this.name = 'StoredJsonError';
  }
}

/**
 * A JSON column read back and checked against its schema (text on SQLite, already parsed jsonb on
 * PostgreSQL). A value that does not fit is an error naming the column, never a silently wrong object.
 */
export function json<S extends TSchema>(what: string, schema: S, v: unknown): Static<S> {
  let value: unknown = v;
  if (typeof v === 'string') {
    try {
      value = JSON.parse(v);
    } catch (e) {
      throw new StoredJsonError(what, (e as Error).message);
    }
  }
  if (!Value.Check(schema, value)) {
    const first = Value.Errors(schema, value)[0];
    throw new StoredJsonError(what, first ? `${first.instancePath || '/'} ${first.message}` : '不符合模式');
  }
  return value as Static<S>;
}

/** `?, ?, ?` for n values. */
export function marks(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/** `(?, ?), (?, ?)` for rows × cols. */
export function rowMarks(rows: number, cols: number): string {
  const one = `(${marks(cols)})`;
  return Array.from({ length: rows }, () => one).join(', ');
}

/** What a storage error means to a caller, whatever the engine. */
export type StorageFailure = 'unique' | 'disk_full' | 'read_only' | 'unavailable' | 'busy';

/**
 * Classifies an engine error: a broken unique key (a duplicate in a file), a full disk, a read-only
 * database, a database that cannot be reached, or a lock that was not granted in time. Anything else: null.
 */
export function storageFailureOf(e: unknown): StorageFailure | null {
  if (!(e instanceof Error)) return null;
  const code = String((e as { code?: unknown }).code ?? '');
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505') return 'unique';
  if (code === 'SQLITE_FULL' || code === '53100') return 'disk_full';
  if (code.startsWith('SQLITE_READONLY') || code === '25006') return 'read_only';
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code === '55P03' || code === '40P01') return 'busy';
  if (code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_IOERR') || code === 'ECONNREFUSED' || code === '57P01' || code === '08006' || code === '08001')
    return 'unavailable';
  return null;
}
