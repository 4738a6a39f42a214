/**
 * A worker thread of the parallel evaluation (evaluate.ts): evaluates the chunks of projects it is sent,
 * from its own read-only connection in the coordinator's snapshot, stages their findings and assessments in
 * a staging file of its own, and builds its part of the report.
 */
import { workerData } from 'node:worker_threads';
import { loadCityFacts } from '../../db/facts.ts';
import { openDatabase } from '../../db/open.ts';
import { previousFlags } from '../../reports/generate.ts';
import { ReportBuilder } from '../../reports/model.ts';
import type { RulesParams } from '../../rules/params/index.ts';
import { paramsOf } from '../params.ts';
import { evaluateLoadedChunk, fileStager } from '../chunked.ts';
import type { CityInputs, FromWorker, ToWorker, WorkerInit } from './protocol.ts';

const init = workerData as WorkerInit;
const { port, signal, asOf } = init;

function post(message: FromWorker): void {
  port.postMessage(message);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

const db = openDatabase(init.dbPath, { readonly: true });
const stage = fileStager(init.stagingPath, asOf, init.run);
let inputs: CityInputs | null = null;
/** the parameter set in force, read in the coordinator's snapshot (shipped files + the bureau's imports) */
let params: RulesParams | null = null;
let builder: ReportBuilder | null = null;

/** The chunk loaded before the city-wide inputs came (loading needs none of them). */
let pending: { index: number; ids: readonly number[]; facts: ReturnType<typeof loadCityFacts>; loadMs: number } | null = null;

function evaluatePending(): void {
  if (!pending || !inputs) return;
  const { index, ids, facts, loadMs } = pending;
  pending = null;
  const report = inputs.report;
  if (report && report.previousAsOf) builder!.addPrevious(previousFlags(db, report.previousAsOf, ids));
  const result = evaluateLoadedChunk(facts, loadMs, asOf, params!, inputs.crossProjectDays, (pe, p, injuryCover) => {
    if (pe) stage.add(pe);
    builder?.addProject(p, pe, injuryCover);
  });
  stage.flush();
  post({ type: 'chunk', index, result });
}

function handle(m: ToWorker): void {
  switch (m.type) {
    case 'begin':
      db.$client.exec('BEGIN');
      db.$client.prepare('SELECT count(*) FROM projects').get(); // the snapshot is taken at the first read
      post({ type: 'ready' });
      return;
    case 'inputs':
      inputs = m.inputs;
      params = paramsOf(db);
      if (inputs.report) {
        const { reviews, previousAsOf } = inputs.report;
        builder = new ReportBuilder({ asOf, reviews, previous: previousAsOf ? { asOf: previousAsOf, findings: [] } : null, params: params! });
      }
      evaluatePending();
      return;
    case 'chunk': {
      const t = performance.now();
      const facts = loadCityFacts(db, m.ids);
      pending = { index: m.index, ids: m.ids, facts, loadMs: performance.now() - t };
      evaluatePending();
      return;
    }
    case 'finish':
      if (db.$client.inTransaction) db.$client.exec('COMMIT');
      stage.close();
      db.$client.close();
      post({ type: 'finished', findingCount: stage.rows.findingCount, projectCount: stage.rows.projectCount, part: builder?.part() ?? null });
      port.close();
      return;
  }
}

port.on('message', (m: ToWorker) => {
  try {
    handle(m);
  } catch (e) {
    post({ type: 'error', message: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) });
  }
});
post({ type: 'up' });
