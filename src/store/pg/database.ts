/**
 * PostgreSQL adapter — the executor (src/store/sql.ts) over node-postgres, for a province.
 *
 * - `?` placeholders are numbered `$1 …` here (outside quoted literals), so repositories write one text.
 * - Exact values: int8 (counts, ids, fen) and numeric (SUM of int8) come back from node-postgres as
 *   strings; they are turned into JS numbers only when they are integers a double holds exactly, and an
 *   error otherwise — money is never rounded on the way in. `date` columns come back as `YYYY-MM-DD` text
 *   (not a JS Date in the server's time zone); jsonb comes back parsed (repositories check it with json()).
 * - Transactions take a pooled client; nested ones are savepoints. Snapshots are REPEATABLE READ READ ONLY
 *   transactions: every read in one sees the same committed state.
 * - Bulk inserts use COPY … FROM STDIN (pg-copy-streams): one round trip for thousands of rows.
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { storageFailureOf, type Database, type Dialect, type Row, type Sql, type TxOptions } from '../sql.ts';

const { Pool, types } = pg;

const DIALECT: Dialect = {
  engine: 'postgres',
  containsInsensitive: (column) => `${column} ILIKE '%' || ? || '%'`,
  containsExact: (column) => `strpos(${column}, ?) > 0`,
  afterExplicitIds: (table, column) =>
    `SELECT setval(pg_get_serial_sequence('${table}', '${column}'), GREATEST((SELECT MAX(${column}) FROM ${table}), 1), (SELECT COUNT(*) > 0 FROM ${table}))`,
  transactionLock: (name) => `SELECT pg_advisory_xact_lock(hashtext('huxin:${name.replace(/'/g, "''")}'))`,
  indexedBy: () => '',
  asciiText: (column) => column,
};

function exactInteger(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`数据库返回的整数 ${text} 超出精确范围`);
  return n;
}

/**
 * int8 → number (exact), numeric → number when an exact integer (else kept as its decimal text), date → text,
 * json and jsonb → their text, as SQLite gives them: every reader parses and checks one form (sql.ts `json`).
 * Parsed by the driver, a jsonb string value would come back as a bare string and be parsed a second time
 * by its reader ("123" read as the number 123, a sentence refused as bad JSON).
 */
const TYPE_PARSERS: Record<number, (v: string) => unknown> = {
  20: exactInteger, // int8
  1700: (v) => (/^-?\d+$/.test(v) ? exactInteger(v) : v), // numeric
  1082: (v) => v, // date
  1114: (v) => v, // timestamp
  1184: (v) => v, // timestamptz
  114: (v) => v, // json
  3802: (v) => v, // jsonb
};

const typeOverrides = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    const parser = TYPE_PARSERS[oid];
    if (parser && (format === undefined || format === 'text')) return parser;
    return types.getTypeParser(oid, format);
  },
} as unknown as pg.CustomTypesConfig;

/** `?` → `$n`, skipping single-quoted literals, double-quoted identifiers and `--` comments. */
export function numberPlaceholders(text: string): string {
  let out = '';
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      const stop = end < 0 ? text.length : end + 1;
      out += text.slice(i, stop);
      i = stop - 1;
    } else if (c === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      out += text.slice(i, stop);
      i = stop - 1;
    } else if (c === '?') {
      out += `$${++n}`;
    } else out += c;
  }
  return out;
}

const textCache = new Map<string, string>();
function pgText(text: string): string {
  let t = textCache.get(text);
  if (t === undefined) {
    t = numberPlaceholders(text);
    if (textCache.size < 5000) textCache.set(text, t);
  }
  return t;
}

function bindable(v: unknown): unknown {
  if (v === undefined) return null;
  if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v) && !(v instanceof Date)) return JSON.stringify(v);
  return v;
}
const bindAll = (params: readonly unknown[] | undefined): unknown[] => (params ? params.map(bindable) : []);

/** One value in COPY's text format. */
function copyValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  let s: string;
  if (typeof v === 'boolean') s = v ? 't' : 'f';
  // bytea in hex input form (its backslash doubled below, as COPY's text format wants)
  else if (Buffer.isBuffer(v)) s = `\\x${v.toString('hex')}`;
  else if (typeof v === 'object') s = JSON.stringify(v);
  else s = String(v);
  return s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

type Queryable = pg.Pool | pg.PoolClient;

class PgSql implements Sql {
  readonly dialect = DIALECT;
  private savepoints = 0;
  constructor(
    private readonly q: Queryable,
    readonly inTransaction: boolean,
    protected readonly connections: pg.Pool,
  ) {}

  async all<T = Row>(text: string, params?: readonly unknown[]): Promise<T[]> {
    return (await this.q.query({ text: pgText(text), values: bindAll(params) })).rows as T[];
  }
  async rows<T extends unknown[] = unknown[]>(text: string, params?: readonly unknown[]): Promise<T[]> {
    return (await this.q.query({ text: pgText(text), values: bindAll(params), rowMode: 'array' })).rows as T[];
  }
  async get<T = Row>(text: string, params?: readonly unknown[]): Promise<T | undefined> {
    return (await this.all<T>(text, params))[0];
  }
  async run(text: string, params?: readonly unknown[]): Promise<number> {
    return (await this.q.query({ text: pgText(text), values: bindAll(params) })).rowCount ?? 0;
  }
  async *batches<T extends unknown[] = unknown[]>(text: string, params: readonly unknown[], size: number): AsyncIterable<T[]> {
    // a cursor lives in a transaction: this one's, or a read-only one of its own
    const run = async function* (this: PgSql, client: pg.PoolClient) {
      const name = `huxin_cursor_${Math.random().toString(36).slice(2)}`;
      await client.query({ text: `DECLARE ${name} NO SCROLL CURSOR FOR ${pgText(text)}`, values: bindAll(params) });
      try {
        for (;;) {
          const r = await client.query({ text: `FETCH ${size} FROM ${name}`, rowMode: 'array' });
          if (r.rows.length === 0) break;
          yield r.rows as T[];
          if (r.rows.length < size) break;
        }
      } finally {
        await client.query(`CLOSE ${name}`).catch(() => {});
      }
    };
    if (this.inTransaction) {
      yield* run.call(this, this.q as pg.PoolClient);
      return;
    }
    const client = await this.connections.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      yield* run.call(this, client);
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      client.release();
    }
  }
  async insertMany(table: string, columns: readonly string[], values: readonly (readonly unknown[])[]): Promise<void> {
    if (values.length === 0) return;
    const copy = async (client: pg.PoolClient) => {
      const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
      const lines = (function* () {
        let chunk = '';
        for (const v of values) {
          chunk += v.map(copyValue).join('\t') + '\n';
          if (chunk.length > 1 << 16) {
            yield chunk;
            chunk = '';
          }
        }
        if (chunk) yield chunk;
      })();
      await pipeline(Readable.from(lines), stream);
    };
    if (this.inTransaction) return copy(this.q as pg.PoolClient);
    const client = await this.connections.connect();
    try {
      await copy(client);
    } finally {
      client.release();
    }
  }
  async insertSkippingTaken(table: string, columns: readonly string[], values: readonly (readonly unknown[])[]): Promise<number[]> {
    if (values.length === 0) return [];
    try {
      await this.tx((s) => s.insertMany(table, columns, values));
      return [];
    } catch (e) {
      if (storageFailureOf(e) !== 'unique') throw e;
    }
    // a key is taken (a rejected file's repeated row, as a rule): find which rows, one statement each
    return this.tx(async (s) => {
      const text = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT DO NOTHING`;
      const skipped: number[] = [];
      for (let i = 0; i < values.length; i++) if ((await s.run(text, values[i])) === 0) skipped.push(i);
      return skipped;
    });
  }
  async tx<T>(fn: (tx: Sql) => Promise<T>, options?: TxOptions): Promise<T> {
    if (this.inTransaction) {
      const client = this.q as pg.PoolClient;
      const name = `sp${++this.savepoints}`;
      await client.query(`SAVEPOINT ${name}`);
      try {
        const out = await fn(this);
        await client.query(`RELEASE SAVEPOINT ${name}`);
        return out;
      } catch (e) {
        await client.query(`ROLLBACK TO SAVEPOINT ${name}`);
        await client.query(`RELEASE SAVEPOINT ${name}`);
        throw e;
      } finally {
        this.savepoints--;
      }
    }
    const client = await this.connections.connect();
    try {
      await client.query('BEGIN');
      try {
        // TxOptions.scratch: this transaction's commit does not wait for the WAL to reach the disk
        if (options?.scratch) await client.query('SET LOCAL synchronous_commit = off');
        const out = await fn(new PgSql(client, true, this.connections));
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      }
    } finally {
      client.release();
    }
  }
}

export interface PgOptions {
  /** connections in the pool (default 10) */
  readonly max?: number;
  readonly applicationName?: string;
}

/** The URL without its password, for logs and /health. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

export class PgDatabase extends PgSql implements Database {
  readonly location: string;

  constructor(url: string, options: PgOptions = {}) {
    const pool = new Pool({
      connectionString: url,
      max: options.max ?? 10,
      types: typeOverrides,
      application_name: options.applicationName ?? 'huxin',
    });
    // an idle client that loses its connection must not crash the process
    pool.on('error', () => {});
    super(pool, false, pool);
    this.location = redactUrl(url);
  }

  async snapshot<T>(fn: (s: Sql) => Promise<T>): Promise<T> {
    const client = await this.connections.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        return await fn(new PgSql(client, true, this.connections));
      } finally {
        await client.query('COMMIT').catch(() => {});
      }
    } finally {
      client.release();
    }
  }

  /**
   * The cluster's current snapshot (xmin:xmax:in-progress xids): it moves whenever a transaction that took
   * an id ends (committed or not) and stays put while only reads run. Conservative (another database of the
   * cluster moves it too), never stale: an answer computed across a commit sees the mark move and is not
   * kept, and one kept before a commit is keyed by a mark the commit leaves behind.
   *
   * Every cached read asks for the mark, so concurrent callers share queries: a caller joins the next query
   * to start (never one already running, which may have read the snapshot before a commit the caller has
   * seen), and at most one runs at a time. Fifty requests at once cost two round trips, not fifty pool
   * connections.
   */
  changeMark(): Promise<string | null> {
    if (!this.nextMark) {
      const next = (this.markInFlight ?? Promise.resolve(null)).catch(() => null).then(async () => {
        // from here on, later callers wait for the query after this one
        if (this.nextMark === next) this.nextMark = null;
        this.markInFlight = next;
        try {
          const row = await this.get<{ mark: string }>('SELECT pg_current_snapshot()::text AS mark');
          return row?.mark ?? null;
        } finally {
          if (this.markInFlight === next) this.markInFlight = null;
        }
      });
      this.nextMark = next;
    }
    return this.nextMark;
  }

  /** the mark query running now, and the one that callers arriving now will share */
  private markInFlight: Promise<string | null> | null = null;
  private nextMark: Promise<string | null> | null = null;

  async close(): Promise<void> {
    await this.connections.end();
  }
}
