/**
 * 读取缓存 — answers that do not grow with the city (issue 16 point 5). The review queue, the project list
 * and a project are read many times between two writes: a night changes them once a day, an import or a
 * review a few times an hour. A route that opts in (`config: { readCache: true }`) has its masked JSON answer
 * kept, per role and URL, until anything is committed to the database; the next identical request is
 * answered with the kept bytes — no query, no serialisation, no masking.
 *
 * What keeps it right:
 * - The key is the database's change mark (store.changeMark(): SQLite's data_version plus this process's
 *   finished writes; PostgreSQL's current snapshot): any commit by any connection or process — the
 *   nightly job, `huxin import` from a shell, a review — empties the cache. An answer is kept only if the
 *   mark was the same before and after it was computed, and never while a write is under way.
 * - The calendar day is in the key: answers that default to "today" change at midnight without a write.
 * - Only masked answers: a full view (`X-Full-View`, audited per request) is never kept nor served from here.
 *   The kept bytes are what the masking hook produced, so a hit carries no more than a miss would.
 * - Only GET answers with status 200; the role is in the key (a route may answer roles differently), and
 *   for a page (HTML, which names its user) the session. A handler that writes (an audited view) is never
 *   kept: its own commit moves the mark.
 * - Bounded: at most MAX_BYTES of answers, the least recently used dropped first.
 * - Single flight: identical requests arriving while the answer is computed wait for it (FLIGHT_WAIT_MS at
 *   most) rather than compute it again.
 */
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../store/store.ts';

const MAX_BYTES = 64 * 1024 * 1024;
/** an answer larger than this is not kept (it would push out many small ones) */
const MAX_ENTRY_BYTES = 4 * 1024 * 1024;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** the route's masked 200 answers may be kept until the next commit (src/api/readCache.ts) */
    readCache?: boolean;
  }
  interface FastifyRequest {
    /** the change mark read before the handler ran, when the answer may be kept */
    readCacheMark: string | null;
    /** answered from the cache: the payload is already masked */
    readCacheHit: boolean;
    /** the computation other requests for the same key wait for, when this request is it */
    readCacheFlight: Flight | null;
  }
}

/** how long a request waits for another's computation of the same answer before computing it itself */
const FLIGHT_WAIT_MS = 5_000;

interface Flight {
  readonly key: string;
  readonly mark: string;
  readonly landed: Promise<void>;
  readonly done: () => void;
}

interface Entry {
  /** the bytes as sent (encoded once, not on every hit) */
  readonly body: Buffer;
  readonly type: string;
  /** the same bytes gzipped, for a client that accepts it (large answers only; made once, when kept) */
  readonly gzip?: Buffer;
}

/**
 * Answers at least this large are also kept gzipped (below it the header costs about what gzip saves). A
 * project page is about 700 KB of HTML: sent as is, its time on the wire bounds the page's p99 (a
 * hello-world answering the same bytes is no faster, docs/PERFORMANCE.md); gzipped it is a tenth of that,
 * compressed once per commit rather than per request. Only masked answers are kept, so a compressed body
 * carries no more than the plain one.
 */
export const GZIP_FROM_BYTES = 1024;

/** whether the client takes a gzip body (`Accept-Encoding: gzip`, not refused with q=0) */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  return value.split(',').some((part) => {
    const [name, ...params] = part.trim().split(';');
    if (name?.trim().toLowerCase() !== 'gzip') return false;
    const q = params.map((x) => x.trim()).find((x) => x.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

const sizeOf = (e: Entry): number => e.body.length + (e.gzip?.length ?? 0);

export class ReadCache {
  private mark: string | null = null;
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  /** the entry for `key` at `mark`, or undefined (a different mark empties the cache first) */
  get(mark: string, key: string): Entry | undefined {
    if (mark !== this.mark) {
      this.clear();
      this.mark = mark;
      return undefined;
    }
    const e = this.entries.get(key);
    if (e) {
      // most recently used last
      this.entries.delete(key);
      this.entries.set(key, e);
    }
    return e;
  }

  set(mark: string, key: string, entry: Entry): void {
    if (mark !== this.mark || entry.body.length > MAX_ENTRY_BYTES) return;
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= sizeOf(old);
      this.entries.delete(key);
    }
    this.entries.set(key, entry);
    this.bytes += sizeOf(entry);
    for (const [k, e] of this.entries) {
      if (this.bytes <= MAX_BYTES) break;
      this.entries.delete(k);
      this.bytes -= sizeOf(e);
    }
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * Installs the cache's hooks. Call after installAccessControl: its onRequest (who is asking, may they) runs
 * first, and its onSend (masking) before ours, so what is kept is the masked answer.
 */
export function installReadCache(app: FastifyInstance, store: Store, today: () => string): ReadCache {
  const cache = new ReadCache();
  app.decorate('readCache', cache);
  app.decorateRequest('readCacheMark', null);
  app.decorateRequest('readCacheHit', false);
  app.decorateRequest('readCacheFlight', null);
  // an API answer is the same for every caller of a role (and, for a contractor, of its unit); a page also
  // names its user: kept per session
  const keyOf = (request: FastifyRequest) =>
    `${today()}\u0000${request.routeOptions.config?.page ? `session:${request.sessionId ?? ''}` : `${request.principal!.role}:${request.principal!.uscc ?? ''}`}\u0000${request.url}`;

  // Single flight: requests that miss the same key while its answer is being computed wait for that one
  // computation instead of each computing it (after a night, fifty inspectors opening the queue at once
  // would otherwise each run it, one after another on the event loop). A waiter gives up after
  // FLIGHT_WAIT_MS and computes itself.
  const flights = new Map<string, Flight>();
  const land = (request: FastifyRequest) => {
    const f = request.readCacheFlight;
    if (!f) return;
    request.readCacheFlight = null;
    if (flights.get(f.key) === f) flights.delete(f.key);
    f.done();
  };

  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'GET' || !request.routeOptions.config?.readCache) return;
    if (!request.principal || request.fullView || reply.sent) return;
    let mark = await store.changeMark();
    if (mark === null) return;
    const key = keyOf(request);
    let hit = cache.get(mark, key);
    const flying = hit ? undefined : flights.get(key);
    if (flying && flying.mark === mark) {
      await Promise.race([flying.landed, new Promise((resolve) => setTimeout(resolve, FLIGHT_WAIT_MS).unref())]);
      mark = await store.changeMark();
      if (mark === null) return;
      hit = cache.get(mark, key);
    }
    if (hit) {
      cache.hits++;
      request.readCacheHit = true;
      reply.header('content-type', hit.type).header('x-read-cache', 'hit');
      if (hit.gzip) {
        // the answer differs by Accept-Encoding from here on: say so to any cache between
        reply.header('vary', 'accept-encoding');
        if (acceptsGzip(request.headers['accept-encoding'])) return reply.header('content-encoding', 'gzip').send(hit.gzip);
      }
      return reply.send(hit.body);
    }
    cache.misses++;
    request.readCacheMark = mark;
    if (!flights.has(key)) {
      let done!: () => void;
      const landed = new Promise<void>((resolve) => (done = resolve));
      const flight: Flight = { key, mark, landed, done };
      flights.set(key, flight);
      request.readCacheFlight = flight;
    }
  });
  // whatever the answer (kept, an error, a closed connection), the flight lands
  app.addHook('onResponse', async (request) => land(request));
  app.addHook('onRequestAbort', async (request) => land(request));

  // Kept from the route's own onSend, which runs after every instance hook — the API's masking and the
  // pages' masking of HTML among them — so what is kept is exactly what was sent.
  const keep = async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const mark = request.readCacheMark;
    if (mark === null || request.readCacheHit || reply.statusCode !== 200 || typeof payload !== 'string' || !request.principal) return payload;
    if (reply.getHeader('set-cookie') !== undefined) return payload;
    // kept only if nothing was committed while it was computed
    if ((await store.changeMark()) === mark) {
      const body = Buffer.from(payload, 'utf8');
      cache.set(mark, keyOf(request), {
        body,
        type: String(reply.getHeader('content-type') ?? 'application/json; charset=utf-8'),
        ...(body.length >= GZIP_FROM_BYTES ? { gzip: gzipSync(body, { level: 6 }) } : {}),
      });
    }
    return payload;
  };
  app.addHook('onRoute', (route) => {
    if (!route.config?.readCache) return;
    const own = route.onSend === undefined ? [] : Array.isArray(route.onSend) ? route.onSend : [route.onSend];
    route.onSend = [...own, keep] as typeof route.onSend;
  });
  return cache;
}

declare module 'fastify' {
  interface FastifyInstance {
    readCache: ReadCache;
  }
}
