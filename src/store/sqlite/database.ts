/**
 * SQLite adapter — the executor (src/store/sql.ts) over better-sqlite3, the embedded default.
 *
 * better-sqlite3 is synchronous; the executor is async at the boundary so that the same repositories run
 * on PostgreSQL. Connections:
 * - one writer: every write and every transaction, one at a time (an async mutex: while a transaction's
 *   function awaits, nobody else's statement can land inside it);
 * - a small pool of readers for reads outside a transaction and for snapshots (WAL: readers never wait
 *   for the writer, and a read transaction sees one committed state however long it lasts).
 * Pragmas: WAL, synchronous=FULL (a committed import survives power loss), busy_timeout (another process
 * — the nightly child, a CLI import — holding the write lock is waited for, not failed), foreign keys.
 * Files are created 0600 (they hold identity and card numbers): the database, its WAL and shared memory.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database, Dialect, Row, Sql, TxOptions } from '../sql.ts';

type Conn = BetterSqlite3.Database;
type Stmt = BetterSqlite3.Statement;

const DIALECT: Dialect = {
  engine: 'sqlite',
  containsInsensitive: (column) => `${column} LIKE '%' || ? || '%'`,
  containsExact: (column) => `instr(${column}, ?) > 0`,
  afterExplicitIds: () => null,
  transactionLock: () => null,
  indexedBy: (index) => ` INDEXED BY ${index}`,
  asciiText: (column) => `CAST(${column} AS BLOB)`,
};

/** better-sqlite3 binds numbers, strings, bigints, buffers and null: booleans become 0/1, objects JSON. */
function bindable(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'object' && !Buffer.isBuffer(v)) return JSON.stringify(v);
  return v;
}

function bindAll(params: readonly unknown[] | undefined): unknown[] {
  if (!params || params.length === 0) return [];
  return params.map(bindable);
}

/** Prepared statements cached per connection and text (objects and raw arrays are separate statements). */
class Statements {
  private readonly objects = new Map<string, Stmt>();
  private readonly arrays = new Map<string, Stmt>();
  constructor(readonly conn: Conn) {}
  object(text: string): Stmt {
    let s = this.objects.get(text);
    if (!s) {
      s = this.conn.prepare(text);
      this.objects.set(text, s);
    }
    return s;
  }
  array(text: string): Stmt {
    let s = this.arrays.get(text);
    if (!s) {
      s = this.conn.prepare(text).raw(true);
      this.arrays.set(text, s);
    }
    return s;
  }
}

/** Statements that only read (they go to a reader connection). */
const READS = /^\s*(SELECT|WITH\s[^;]*\bSELECT\b(?![^;]*\b(INSERT|UPDATE|DELETE)\b))/i;

/** A promise-chain mutex: one holder at a time, in arrival order. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  async lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const prev = this.tail;
    this.tail = prev.then(() => next);
    await prev;
    return release;
  }
}

/** The synchronous statements of one connection, wrapped as the async Sql (the caller guarantees exclusivity). */
class ConnectionSql implements Sql {
  readonly dialect = DIALECT;
  private savepoints = 0;
  constructor(
    readonly stmts: Statements,
    readonly inTransaction: boolean,
    private readonly onTx?: <T>(fn: (tx: Sql) => Promise<T>) => Promise<T>,
  ) {}

  async all<T = Row>(text: string, params?: readonly unknown[]): Promise<T[]> {
    return this.stmts.object(text).all(...bindAll(params)) as T[];
  }
  async rows<T extends unknown[] = unknown[]>(text: string, params?: readonly unknown[]): Promise<T[]> {
    return this.stmts.array(text).all(...bindAll(params)) as T[];
  }
  async get<T = Row>(text: string, params?: readonly unknown[]): Promise<T | undefined> {
    return this.stmts.object(text).get(...bindAll(params)) as T | undefined;
  }
  async run(text: string, params?: readonly unknown[]): Promise<number> {
    return this.stmts.object(text).run(...bindAll(params)).changes;
  }
  async *batches<T extends unknown[] = unknown[]>(text: string, params: readonly unknown[], size: number): AsyncIterable<T[]> {
    // a fresh statement: an iterating statement cannot be used by anyone else until it is done
    const it = this.stmts.conn.prepare(text).raw(true).iterate(...bindAll(params)) as IterableIterator<T>;
    let batch: T[] = [];
    for (const row of it) {
      batch.push(row);
      if (batch.length >= size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }
  async insertMany(table: string, columns: readonly string[], values: readonly (readonly unknown[])[]): Promise<void> {
    if (values.length === 0) return;
    const stmt = this.stmts.object(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
    const insert = () => {
      for (const v of values) stmt.run(...v.map(bindable));
    };
    if (this.stmts.conn.inTransaction) insert();
    else this.stmts.conn.transaction(insert).immediate();
  }
  async insertSkippingTaken(table: string, columns: readonly string[], values: readonly (readonly unknown[])[]): Promise<number[]> {
    if (values.length === 0) return [];
    // no savepoint and no second pass: a statement that does not insert says so (changes = 0); a savepoint
    // would copy every page the rows touch into a statement journal (3× slower on a million-row import)
    const stmt = this.stmts.object(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT DO NOTHING`);
    const skipped: number[] = [];
    const row = new Array<unknown>(columns.length);
    const insert = () => {
      for (let i = 0; i < values.length; i++) {
        const v = values[i]!;
        // one reused array of bound values: no allocation per row on the hot path of an import
        for (let c = 0; c < row.length; c++) row[c] = bindable(v[c]);
        if (stmt.run(row).changes === 0) skipped.push(i);
      }
    };
    if (this.stmts.conn.inTransaction) insert();
    else this.stmts.conn.transaction(insert).immediate();
    return skipped;
  }
  async tx<T>(fn: (tx: Sql) => Promise<T>, _options?: TxOptions): Promise<T> {
    if (!this.inTransaction) {
      if (!this.onTx) throw new Error('this connection takes no transactions');
      return this.onTx(fn);
    }
    // nested: a savepoint, so an inner failure undoes only the inner work
    const name = `sp${++this.savepoints}`;
    this.stmts.conn.exec(`SAVEPOINT ${name}`);
    try {
      const out = await fn(this);
      this.stmts.conn.exec(`RELEASE ${name}`);
      return out;
    } catch (e) {
      this.stmts.conn.exec(`ROLLBACK TO ${name}`);
      this.stmts.conn.exec(`RELEASE ${name}`);
      throw e;
    } finally {
      this.savepoints--;
    }
  }
}

export interface SqliteOptions {
  /** open without writing (no migration, no pragmas that write); default false */
  readonly readonly?: boolean;
  /** readers kept open for reads and snapshots (default 4) */
  readonly readers?: number;
  /** applies the schema migrations to the writer connection (the caller passes the migrator) */
  readonly migrate?: (conn: Conn) => void;
  /** how long a statement waits for another process's write lock (default 10 s) */
  readonly busyTimeoutMs?: number;
}

/** Creates the file 0600 before SQLite does (SQLite follows the umask, usually 0644). */
function createPrivately(path: string): void {
  if (path === ':memory:') return;
  mkdirSync(dirname(resolve(path)), { recursive: true });
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  for (const f of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      chmodSync(f, 0o600);
    } catch {
      /* not there yet */
    }
  }
}

/**
 * Page cache of a bulk transaction (an import), in KiB. Inserting into the fact tables' indexes touches
 * pages all over the B-trees; with SQLite's default 2 MiB cache a million-row payroll load spends most of
 * its time re-reading them (measured ≈ 3× slower, docs/PERFORMANCE.md). A fixed 64 MiB keeps memory
 * bounded whatever the file size; the connection's setting is restored afterwards.
 */
export const BULK_CACHE_KIB = 64 * 1024;

/** Runs `fn` with the connection's page cache at least BULK_CACHE_KIB, restored afterwards. */
async function withBulkCache<T>(conn: Conn, fn: () => Promise<T>): Promise<T> {
  const before = conn.pragma('cache_size', { simple: true }) as number;
  const kib = before < 0 ? -before : (before * (conn.pragma('page_size', { simple: true }) as number)) / 1024;
  if (kib >= BULK_CACHE_KIB) return fn();
  conn.pragma(`cache_size = -${BULK_CACHE_KIB}`);
  try {
    return await fn();
  } finally {
    conn.pragma(`cache_size = ${before}`);
  }
}

/** TxOptions.scratch: the transaction commits without waiting for the disk (synchronous = NORMAL), then FULL again. */
async function withoutSync<T>(conn: Conn, fn: () => Promise<T>): Promise<T> {
  conn.pragma('synchronous = NORMAL');
  try {
    return await fn();
  } finally {
    conn.pragma('synchronous = FULL');
  }
}

function configure(conn: Conn, writer: boolean, busyTimeoutMs = 10_000): void {
  conn.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  if (writer) {
    conn.pragma('journal_mode = WAL');
    conn.pragma('synchronous = FULL');
    conn.pragma('foreign_keys = ON');
  }
}

export class SqliteDatabase implements Database {
  readonly dialect = DIALECT;
  readonly inTransaction = false;
  readonly location: string;
  /** the writer connection (for the adapter's own bulk paths and the online backup) */
  readonly writer: Conn;
  private readonly writerStmts: Statements;
  private dataVersion: BetterSqlite3.Statement | undefined;
  private readonly writeLock = new Mutex();
  private readonly idle: Statements[] = [];
  private readonly waiting: ((s: Statements) => void)[] = [];
  private openReaders = 0;
  private readonly maxReaders: number;
  private closed = false;
  /** writes of this process finished so far, and those under way (the change mark) */
  private writesDone = 0;
  private writesRunning = 0;

  constructor(path: string, options: SqliteOptions = {}) {
    this.location = path;
    if (!options.readonly) createPrivately(path);
    this.writer = new BetterSqlite3(path, { readonly: options.readonly ?? false });
    configure(this.writer, !options.readonly, options.busyTimeoutMs);
    if (!options.readonly) options.migrate?.(this.writer);
    if (!options.readonly) createPrivately(path); // the WAL and shm files now exist: 0600 too
    this.writerStmts = new Statements(this.writer);
    // an in-memory database has one connection: readers are the writer
    this.maxReaders = path === ':memory:' ? 0 : (options.readers ?? 4);
  }

  private acquireReader(): Promise<Statements> | Statements {
    if (this.maxReaders === 0) return this.writerStmts;
    const s = this.idle.pop();
    if (s) return s;
    if (this.openReaders < this.maxReaders) {
      this.openReaders++;
      const conn = new BetterSqlite3(this.location, { readonly: true, fileMustExist: true });
      configure(conn, false);
      return new Statements(conn);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private releaseReader(s: Statements): void {
    if (s === this.writerStmts) return;
    const next = this.waiting.shift();
    if (next) next(s);
    else this.idle.push(s);
  }

  /** Runs one synchronous read on a reader connection. */
  private async read<T>(fn: (sql: ConnectionSql) => Promise<T>): Promise<T> {
    const s = await this.acquireReader();
    try {
      return await fn(new ConnectionSql(s, false));
    } finally {
      this.releaseReader(s);
    }
  }

  /** Runs one write outside a transaction, on the writer, in turn with the transactions. */
  private async write<T>(fn: (sql: ConnectionSql) => Promise<T>): Promise<T> {
    const release = await this.writeLock.lock();
    this.writesRunning++;
    try {
      return await fn(new ConnectionSql(this.writerStmts, false));
    } finally {
      this.writesRunning--;
      this.writesDone++;
      release();
    }
  }

  /**
   * Other connections' commits (this process's legacy handle, the CLI, another process) move the writer's
   * `data_version`; this connection's own are counted as they finish. While one is under way: null.
   */
  async changeMark(): Promise<string | null> {
    if (this.writesRunning > 0 || this.closed) return null;
    // a prepared PRAGMA: `pragma()` prepares anew on every call (3 µs, against 0.1 µs), and every cached read asks
    this.dataVersion ??= this.writer.prepare('PRAGMA data_version').pluck();
    return `${this.dataVersion.get() as number}.${this.writesDone}`;
  }

  /** a statement that only reads goes to a reader; `INSERT … RETURNING` and the like to the writer */
  private on<T>(text: string, fn: (sql: ConnectionSql) => Promise<T>): Promise<T> {
    return READS.test(text) ? this.read(fn) : this.write(fn);
  }
  all<T = Row>(text: string, params?: readonly unknown[]): Promise<T[]> {
    return this.on(text, (s) => s.all<T>(text, params));
  }
  rows<T extends unknown[] = unknown[]>(text: string, params?: readonly unknown[]): Promise<T[]> {
    return this.on(text, (s) => s.rows<T>(text, params));
  }
  get<T = Row>(text: string, params?: readonly unknown[]): Promise<T | undefined> {
    return this.on(text, (s) => s.get<T>(text, params));
  }
  run(text: string, params?: readonly unknown[]): Promise<number> {
    return this.write((s) => s.run(text, params));
  }
  async *batches<T extends unknown[] = unknown[]>(text: string, params: readonly unknown[], size: number): AsyncIterable<T[]> {
    const s = await this.acquireReader();
    try {
      yield* new ConnectionSql(s, false).batches<T>(text, params, size);
    } finally {
      this.releaseReader(s);
    }
  }
  insertMany(table: string, columns: readonly string[], values: readonly (readonly unknown[])[]): Promise<void> {
    return this.write((s) => s.insertMany(table, columns, values));
  }
  insertSkippingTaken(table: string, columns: readonly string[], values: readonly (readonly unknown[])[]): Promise<number[]> {
    return this.write((s) => s.insertSkippingTaken(table, columns, values));
  }

  async tx<T>(fn: (tx: Sql) => Promise<T>, options?: TxOptions): Promise<T> {
    const release = await this.writeLock.lock();
    const conn = this.writer;
    this.writesRunning++;
    const run = async (): Promise<T> => {
      // IMMEDIATE: the write lock now, so the transaction never fails half-way on another process's lock
      conn.exec('BEGIN IMMEDIATE');
      try {
        const out = await fn(new ConnectionSql(this.writerStmts, true));
        conn.exec('COMMIT');
        return out;
      } catch (e) {
        if (conn.inTransaction) conn.exec('ROLLBACK');
        throw e;
      }
    };
    try {
      const withCache = () => (options?.bulk ? withBulkCache(conn, run) : run());
      return await (options?.scratch ? withoutSync(conn, withCache) : withCache());
    } finally {
      this.writesRunning--;
      this.writesDone++;
      release();
    }
  }

  async snapshot<T>(fn: (s: Sql) => Promise<T>): Promise<T> {
    const s = await this.acquireReader();
    const conn = s.conn;
    if (s === this.writerStmts) {
      // in-memory: the one connection; serialise with the writers
      const release = await this.writeLock.lock();
      try {
        return await fn(new ConnectionSql(s, false));
      } finally {
        release();
      }
    }
    try {
      conn.exec('BEGIN');
      // the snapshot starts at the first read (WAL): take it now
      conn.prepare('SELECT 1 FROM sqlite_master LIMIT 1').get();
      try {
        return await fn(new ConnectionSql(s, false));
      } finally {
        if (conn.inTransaction) conn.exec('COMMIT');
      }
    } finally {
      this.releaseReader(s);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const release = await this.writeLock.lock();
    try {
      for (const s of this.idle) s.conn.close();
      this.idle.length = 0;
      this.writer.close();
    } finally {
      release();
    }
  }
}
