/**
 * The messages between the coordinator (evaluate.ts) and its worker threads (chunkWorker.ts). Every message
 * is plain data (structured clone). A worker posts on its own MessagePort and then bumps a shared counter,
 * so the coordinator can wait for it synchronously (Atomics.wait + receiveMessageOnPort): recompute and
 * report stay synchronous functions for their callers.
 */
import type { MessagePort } from 'node:worker_threads';
import type { IsoDate } from '../../domain/date.ts';
import type { ReportPart, ReviewRecord } from '../../reports/model.ts';
import type { CrossProjectDays } from '../../rules/payroll.ts';
import type { ChunkResult } from '../chunked.ts';

export interface WorkerInit {
  readonly port: MessagePort;
  /** Int32Array over a SharedArrayBuffer: bumped after every message a worker posts */
  readonly signal: Int32Array;
  readonly dbPath: string;
  readonly asOf: IsoDate;
  /** the staged rows' run number and this worker's staging file */
  readonly run: number;
  readonly stagingPath: string;
}

/** The city-wide inputs, sent once the coordinator has read them in the shared snapshot. */
export interface CityInputs {
  readonly crossProjectDays: ReadonlyMap<string, CrossProjectDays>;
  /** null: no report is built (recompute only) */
  readonly report: { readonly reviews: ReadonlyMap<string, ReviewRecord>; readonly previousAsOf: IsoDate | null } | null;
}

export type ToWorker =
  /** open a read transaction now: the coordinator holds the write lock, so every thread sees the same snapshot */
  | { readonly type: 'begin' }
  | { readonly type: 'inputs'; readonly inputs: CityInputs }
  | { readonly type: 'chunk'; readonly index: number; readonly ids: readonly number[] }
  /** end the read transaction, close the staging file, send the report part */
  | { readonly type: 'finish' };

export type FromWorker =
  /** the worker has loaded its code and opened its connections */
  | { readonly type: 'up' }
  | { readonly type: 'ready' }
  | { readonly type: 'chunk'; readonly index: number; readonly result: ChunkResult }
  | { readonly type: 'finished'; readonly findingCount: number; readonly projectCount: number; readonly part: ReportPart | null }
  | { readonly type: 'error'; readonly message: string };
