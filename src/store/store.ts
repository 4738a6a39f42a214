/**
 * 存储 — the storage boundary the rest of Huxin talks to: the repositories of one database, bound to a
 * connection, a transaction or a snapshot. Services, routes, pages, jobs and the CLI get a Store (routes as
 * the `app.store` decorator), never a driver or a handle; nothing outside src/store holds SQL.
 *
 *   store.facts            the rules' input: facts of projects, snapshots, city-wide inputs, versions
 *   store.evaluations      results as state: apply a night's results, the state and history of a day
 *   store.queue            the review queue's read model: current flags by project risk, counts kept
 *   store.reportState      what a day's report reads of the stored evaluation
 *   store.projects         the project list's read model: current evaluation and open flags per project
 *   store.notices          the notices outbox and the facts notices are built from
 *   store.reminders        催报: projects, roster spans and months submitted; the reminders queued
 *   store.warnings         what the project warnings are derived from: the open current flags, their projects
 *   store.rectifications   the closing loop of a warning: assignment, deadline, 销号, reopening (audited)
 *   store.audit            the append-only audit log (entries masked by src/api/audit.ts before they are stored)
 *   store.nights           a night staged chunk by chunk (its chunks, claims by workers, results until the apply)
 *   store.tx(fn)           fn's writes commit together or not at all
 *   store.snapshot(fn)     fn's reads see one committed state (every figure of a page from one state)
 * Repositories are created on first use, so binding a store to a transaction costs nothing.
 */
import type { Database, Engine, Sql } from './sql.ts';
import { EvaluationsRepo } from './repos/evaluations.ts';
import { FactsRepo } from './repos/facts.ts';
import { NoticesRepo } from './repos/notices.ts';
import { ProjectsRepo } from './repos/projects.ts';
import { QueueRepo } from './repos/queue.ts';
import { ReportStateRepo } from './repos/reportState.ts';
import { WarningsRepo } from './repos/warnings.ts';
import { RectificationsRepo } from './repos/rectifications.ts';
import { RemindersRepo } from './repos/reminders.ts';
import { PortalRepo } from './repos/portal.ts';
import { AuditRepo } from './repos/audit.ts';
import { NightsRepo } from './repos/nights.ts';

export class Store {
  private cache = new Map<string, unknown>();

  constructor(
    /** the connection, transaction or snapshot this store is bound to */
    readonly sql: Sql,
    /** the database itself (for tx/snapshot from a bound store, and close) */
    private readonly db: Database,
  ) {}

  get engine(): Engine {
    return this.sql.dialect.engine;
  }

  /** the file path or the URL without its password */
  get location(): string {
    return this.db.location;
  }

  private repo<T>(name: string, make: (sql: Sql) => T): T {
    let r = this.cache.get(name) as T | undefined;
    if (r === undefined) {
      r = make(this.sql);
      this.cache.set(name, r);
    }
    return r;
  }

  get facts(): FactsRepo {
    return this.repo('facts', (s) => new FactsRepo(s));
  }

  get evaluations(): EvaluationsRepo {
    return this.repo('evaluations', (s) => new EvaluationsRepo(s));
  }

  get queue(): QueueRepo {
    return this.repo('queue', (s) => new QueueRepo(s));
  }

  get projects(): ProjectsRepo {
    return this.repo('projects', (s) => new ProjectsRepo(s));
  }

  get notices(): NoticesRepo {
    return this.repo('notices', (s) => new NoticesRepo(s));
  }

  get warnings(): WarningsRepo {
    return this.repo('warnings', (s) => new WarningsRepo(s));
  }

  get rectifications(): RectificationsRepo {
    return this.repo('rectifications', (s) => new RectificationsRepo(s));
  }

  /** 催报: what the submission reminders are decided from */
  get reminders(): RemindersRepo {
    return this.repo('reminders', (s) => new RemindersRepo(s));
  }

  get portal(): PortalRepo {
    return this.repo('portal', (s) => new PortalRepo(s));
  }

  /** the append-only audit log */
  get audit(): AuditRepo {
    return this.repo('audit', (s) => new AuditRepo(s));
  }

  /** a night staged chunk by chunk: its chunks, their claims and results */
  get nights(): NightsRepo {
    return this.repo('nights', (s) => new NightsRepo(s));
  }

  get reportState(): ReportStateRepo {
    return this.repo('reportState', (s) => new ReportStateRepo(s));
  }

  /** what changes when anything is committed (src/store/sql.ts Database.changeMark) */
  changeMark(): Promise<string | null> {
    return this.db.changeMark();
  }

  /** Runs `fn` with a store bound to a transaction (a savepoint when this store already is in one). */
  tx<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    return this.sql.tx((s) => fn(new Store(s, this.db)));
  }

  /** Runs `fn` with a store that reads one committed state (inside a transaction: that transaction). */
  snapshot<T>(fn: (s: Store) => Promise<T>): Promise<T> {
    if (this.sql.inTransaction) return fn(this);
    return this.db.snapshot((s) => fn(new Store(s, this.db)));
  }

  /** Closes the database (only the unbound store may). */
  async close(): Promise<void> {
    if (this.sql !== this.db) throw new Error('close() on a store bound to a transaction');
    await this.db.close();
  }
}
