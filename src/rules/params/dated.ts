/**
 * Dated legal parameters, OpenFisca-style.
 *
 * A parameter is data, not code: a list of values, each in force from a date (and optionally until a
 * date), each carrying the source that sets it. Asking for a value on a date before the first value (or
 * after the last value ended) is an error — never a silent default: the rules must not apply a number the
 * law had not yet set.
 */
import type { IsoDate } from '../../domain/date.ts';

/** 出处 — where a parameter's value comes from. */
export interface ParamSource {
  /** the document (法规、规章、通知) that sets the value */
  readonly document: string;
  /** the article, when the document has one */
  readonly article?: string;
  /** anything a reader must know: how it was read, what is still to confirm */
  readonly note?: string;
  /** true when checked against the text of the source ([V] in RULES.md); false = "to confirm" ([R]) */
  readonly verified: boolean;
  /**
   * true when the figure is a local bureau setting (the sources do not give it): the system ships the
   * stated default and every finding that uses it says so
   */
  readonly localSetting?: boolean;
}

export interface DatedValue<T> {
  readonly from: IsoDate;
  /** last day in force (inclusive); open when absent */
  readonly to?: IsoDate;
  readonly value: T;
  readonly source: ParamSource;
}

/** A parameter value as applied on a date: what a finding cites. */
export interface ParamAt<T> {
  readonly name: string;
  readonly value: T;
  readonly from: IsoDate;
  readonly source: ParamSource;
}

/** A parameter as cited in a finding: JSON-safe, named, with the date its value took effect. */
export interface ParamUse {
  readonly name: string;
  readonly value: unknown;
  readonly from: IsoDate;
  readonly source: ParamSource;
}

/** Thrown when a parameter is asked for on a date it has no value for. */
export class ParamNotInForceError extends RangeError {
  constructor(
    readonly paramName: string,
    readonly date: IsoDate,
    message: string,
  ) {
    super(message);
    this.name = 'ParamNotInForceError';
  }
}

export interface Dated<T> {
  readonly name: string;
  readonly values: readonly DatedValue<T>[];
  /** The value in force on `date`, with its source; throws ParamNotInForceError when none is. */
  at(date: IsoDate): ParamAt<T>;
}

export function dated<T>(name: string, values: readonly DatedValue<T>[]): Dated<T> {
  if (values.length === 0) throw new Error(`parameter ${name}: no values`);
  const sorted = [...values].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i]!;
    if (v.to !== undefined && v.to < v.from) throw new Error(`parameter ${name}: value from ${v.from} ends before it starts`);
    const next = sorted[i + 1];
    if (next && next.from === v.from) throw new Error(`parameter ${name}: two values from ${v.from}`);
    if (next && v.to !== undefined && v.to >= next.from) throw new Error(`parameter ${name}: values overlap at ${next.from}`);
  }
  return {
    name,
    values: sorted,
    at(date: IsoDate): ParamAt<T> {
      let found: DatedValue<T> | undefined;
      for (const v of sorted) {
        if (v.from <= date) found = v;
        else break;
      }
      if (!found) {
        throw new ParamNotInForceError(
          name,
          date,
          `参数“${name}”在 ${date} 没有取值：最早的取值自 ${sorted[0]!.from} 起施行 (parameter ${name} has no value before ${sorted[0]!.from})`,
        );
      }
      if (found.to !== undefined && date > found.to) {
        throw new ParamNotInForceError(
          name,
          date,
          `参数“${name}”自 ${found.from} 起的取值已于 ${found.to} 失效，${date} 没有取值 (parameter ${name} has no value on ${date})`,
        );
      }
      return { name, value: found.value, from: found.from, source: found.source };
    },
  };
}

/** The JSON-safe citation of a parameter value (for Finding.params). */
export function cite<T>(p: ParamAt<T>, value: unknown = p.value): ParamUse {
  return { name: p.name, value, from: p.from, source: p.source };
}
