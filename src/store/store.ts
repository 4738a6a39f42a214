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
 *   store.uploads          what a contractor uploads: files (blobs), answers to warnings, signed wage tables
 *   store.audit            the append-only audit log (entries masked by src/api/audit.ts before they are stored)
 *   store.orders           责令限期支付: orders, their worker-months, the flags they name, arrears incidents
 *   store.cases            欠薪案件: cases, their worker-months and history
 *   store.listings         失信联合惩戒名单: listing procedures and their steps
 *   store.deposits         工资保证金: the stored requirement of a day and the deposit events
 *   store.storedDays       what enforcement reads of the night's stored evaluation (stored ledgers' validity, flags of a day)
 *   store.tokens           API bearer tokens (hashes only); store.sessions the pages' sign-in sessions
 *   store.secrets          server secrets kept with the data (the worker-id key)
 *   store.projectViews     a project's own rows as the API and pages show them; a past day's project list
 *   store.flags            a day's flags, reviews, a worker's and a project's open flags, their orders and cases
 *   store.wages            the wage facts the ledger views show beside the verdicts; the stored ledger's validity
 *   store.workers          the worker list and a worker's roster entries
 *   store.registryViews    the linked registries as the API reads them; legal-aid referrals
 *   store.reportViews      the stored nightly reports as the API serves them
 *   store.health           is the database reachable and writable (GET /health)
 *   store.importBatches    the import batches: one per file, found again by its bytes' SHA-256
 *   store.factRows         the fact rows an import writes, many rows per statement
 *   store.jobs             the scheduled jobs' lease and attempts (src/jobs)
 *   store.reports          the stored nightly reports (their canonical JSON)
 *   store.params           the bureau's imported dated parameters (laid over the shipped files by services/params.ts)
 *   store.personalData     one worker's rows, for the export and the erasure (services/personalData.ts)
 *   store.nights           a night staged chunk by chunk (its chunks, claims by workers, results until the apply)
 *   store.tx(fn)           fn's writes commit together or not at all
 *   store.snapshot(fn)     fn's reads see one committed state (every figure of a page from one state)
 * Repositories are created on first use, so binding a store to a transaction costs nothing.
 */
import type { Database, Engine, Sql, TxOptions } from './sql.ts';
import { EvaluationsRepo } from './repos/evaluations.ts';
import { FactsRepo } from './repos/facts.ts';
import { NoticesRepo } from './repos/notices.ts';
import { ProjectsRepo } from './repos/projects.ts';
import { QueueRepo } from './repos/queue.ts';
import { ReportStateRepo } from './repos/reportState.ts';
import { WarningsRepo } from './repos/warnings.ts';
import { RectificationsRepo } from './repos/rectifications.ts';
import { RemindersRepo } from './repos/reminders.ts';
import { PortalUploadsRepo, PortalRepo } from './repos/portal.ts';
import { AuditRepo } from './repos/audit.ts';
import { OrdersRepo } from './repos/orders.ts';
import { CasesRepo } from './repos/cases.ts';
import { ListingsRepo } from './repos/listings.ts';
import { StoredDaysRepo } from './repos/storedDays.ts';
import { DepositsRepo } from './repos/deposits.ts';
import { TokensRepo } from './repos/tokens.ts';
import { SessionsRepo } from './repos/sessions.ts';
import { SecretsRepo } from './repos/secrets.ts';
import { ProjectViewsRepo } from './repos/projectViews.ts';
import { FlagsRepo } from './repos/flags.ts';
import { WagesRepo } from './repos/wages.ts';
import { WorkersRepo } from './repos/workers.ts';
import { RegistryViewsRepo } from './repos/registryViews.ts';
import { ReportViewsRepo } from './repos/reportViews.ts';
import { HealthRepo } from './repos/health.ts';
import { ImportBatchesRepo } from './repos/importBatches.ts';
import { FactRowsRepo } from './repos/factRows.ts';
import { JobsRepo } from './repos/jobs.ts';
import { ReportsRepo } from './repos/reports.ts';
import { ParamsRepo } from './repos/params.ts';
import { PersonalDataRepo } from './repos/personalData.ts';
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

  /** a contractor's files (evidence, signed wage tables) and its answers to warnings */
  get uploads(): PortalUploadsRepo {
    return this.repo('uploads', (s) => new PortalUploadsRepo(s));
  }

  /** the append-only audit log */
  get audit(): AuditRepo {
    return this.repo('audit', (s) => new AuditRepo(s));
  }

  get orders(): OrdersRepo {
    return this.repo('orders', (s) => new OrdersRepo(s));
  }

  get cases(): CasesRepo {
    return this.repo('cases', (s) => new CasesRepo(s));
  }

  get listings(): ListingsRepo {
    return this.repo('listings', (s) => new ListingsRepo(s));
  }

  get deposits(): DepositsRepo {
    return this.repo('deposits', (s) => new DepositsRepo(s));
  }

  get storedDays(): StoredDaysRepo {
    return this.repo('storedDays', (s) => new StoredDaysRepo(s));
  }

  get tokens(): TokensRepo {
    return this.repo('tokens', (s) => new TokensRepo(s));
  }

  get sessions(): SessionsRepo {
    return this.repo('sessions', (s) => new SessionsRepo(s));
  }

  get secrets(): SecretsRepo {
    return this.repo('secrets', (s) => new SecretsRepo(s));
  }

  get projectViews(): ProjectViewsRepo {
    return this.repo('projectViews', (s) => new ProjectViewsRepo(s));
  }

  get flags(): FlagsRepo {
    return this.repo('flags', (s) => new FlagsRepo(s));
  }

  get wages(): WagesRepo {
    return this.repo('wages', (s) => new WagesRepo(s));
  }

  get workers(): WorkersRepo {
    return this.repo('workers', (s) => new WorkersRepo(s));
  }

  get registryViews(): RegistryViewsRepo {
    return this.repo('registryViews', (s) => new RegistryViewsRepo(s));
  }

  get reportViews(): ReportViewsRepo {
    return this.repo('reportViews', (s) => new ReportViewsRepo(s));
  }

  get health(): HealthRepo {
    return this.repo('health', (s) => new HealthRepo(s));
  }

  /** import batches: one per imported file */
  get importBatches(): ImportBatchesRepo {
    return this.repo('importBatches', (s) => new ImportBatchesRepo(s));
  }

  /** the fact rows an import writes, in batches (supersession, bulk inserts, the checks against stored rows) */
  get factRows(): FactRowsRepo {
    return this.repo('factRows', (s) => new FactRowsRepo(s));
  }

  get jobs(): JobsRepo {
    return this.repo('jobs', (s) => new JobsRepo(s));
  }

  get reports(): ReportsRepo {
    return this.repo('reports', (s) => new ReportsRepo(s));
  }

  get params(): ParamsRepo {
    return this.repo('params', (s) => new ParamsRepo(s));
  }

  get personalData(): PersonalDataRepo {
    return this.repo('personalData', (s) => new PersonalDataRepo(s));
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
  tx<T>(fn: (tx: Store) => Promise<T>, options?: TxOptions): Promise<T> {
    return this.sql.tx((s) => fn(new Store(s, this.db)), options);
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
