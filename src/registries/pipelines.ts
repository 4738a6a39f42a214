/**
 * The registry kinds' pipelines for the importer (src/imports/kinds.ts hands the four registry kinds here):
 * parse a row with the kind's parser, write it with a RegistryWriter on the kind's table.
 */
import type { KindPipeline } from '../imports/kinds.ts';
import type { RowReader } from '../imports/rowReader.ts';
import type { ProjectRefs } from '../imports/rows/projectRefs.ts';
import type { WriteTally } from '../imports/writer.ts';
import type { FactRowsRepo } from '../store/repos/factRows.ts';
import { CARE_TABLE, parseCareRow, writeCare } from './care/import.ts';
import { HOUSING_TABLE, parseHousingRow, writeHousing } from './housing/import.ts';
import { INSURANCE_TABLE, parseInsuranceRow, writeInsurance } from './insurance/import.ts';
import { parseTrainingRow, TRAINING_TABLE, writeTraining } from './training/import.ts';
import { RegistryWriter, type RegistryTable } from './writer.ts';

export const REGISTRY_KINDS = ['training', 'insurance', 'housing', 'care'] as const;
export type RegistryKind = (typeof REGISTRY_KINDS)[number];

interface KindDef<R> {
  readonly table: { readonly table: RegistryTable; readonly columns: readonly string[] };
  readonly parse: (row: RowReader, projects: ProjectRefs) => R | undefined;
  readonly write: (writer: RegistryWriter, value: R, row: RowReader) => void;
}

const def = <R>(d: KindDef<R>): KindDef<unknown> => d as KindDef<unknown>;

const DEFS: Record<RegistryKind, KindDef<unknown>> = {
  training: def({ table: TRAINING_TABLE, parse: parseTrainingRow, write: writeTraining }),
  insurance: def({ table: INSURANCE_TABLE, parse: parseInsuranceRow, write: writeInsurance }),
  housing: def({ table: HOUSING_TABLE, parse: parseHousingRow, write: writeHousing }),
  care: def({ table: CARE_TABLE, parse: parseCareRow, write: writeCare }),
};

export function registryPipeline(
  kind: RegistryKind,
  rows: FactRowsRepo,
  projects: ProjectRefs,
  batchId: number,
  tally: WriteTally,
  warn: (text: string) => void,
): KindPipeline {
  const d = DEFS[kind];
  const writer = new RegistryWriter(rows, d.table.table, d.table.columns, batchId, tally, warn);
  return {
    handle(row) {
      const value = d.parse(row, projects);
      if (value !== undefined) d.write(writer, value, row);
    },
    flush: () => writer.flush(),
    replacedDetail: () => writer.replacedDetail(),
  };
}
