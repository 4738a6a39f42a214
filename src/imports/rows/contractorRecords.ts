/**
 * 承包单位信用记录 — a row of a contractor_records file (issue 19 item 1; docs/IMPORT.md): one item of what the
 * bureau holds on a general contractor beyond the system's projects, read by the deposit rule
 * (工程建设领域农民工工资保证金规定 第十二条; 冀人社规〔2022〕3号: reductions after clean years, raises after arrears
 * or a listing).
 */
import { parseCellDate, type IsoDate } from '../../domain/date.ts';
import { parseUscc, type Uscc } from '../../domain/uscc.ts';
import { parseContractorRecordType } from '../enums.ts';
import type { RowReader } from '../rowReader.ts';

export type ContractorRecordType = 'records_held' | 'arrears' | 'listing' | 'compliance';

export interface ContractorRecordRow {
  readonly contractorUscc: Uscc;
  readonly contractorName: string | null;
  readonly recordType: ContractorRecordType;
  readonly fromDate: IsoDate;
  readonly toDate: IsoDate | null;
  readonly projectName: string | null;
  readonly note: string | null;
}

/**
 * @param heldSeen contractor → the line of its 记录起始 row in this file: one per contractor (the day from which
 *   its record is complete is a single day)
 */
export function parseContractorRecordRow(row: RowReader, heldSeen: Map<string, number>): ContractorRecordRow | undefined {
  const contractorUscc = row.required('contractor_uscc', parseUscc);
  const contractorName = row.optionalText('contractor_name');
  const recordType = row.required('record_type', parseContractorRecordType);
  const fromDate = row.required('from_date', parseCellDate);
  const toDate = row.optional('to_date', parseCellDate);
  const projectName = row.optionalText('project_name');
  const note = row.optionalText('note');
  if (fromDate !== undefined && toDate !== null && toDate < fromDate) {
    row.fail('to_date', `结束日期 ${toDate} 早于起始日期 ${fromDate}，请核对`);
  }
  if (recordType === 'records_held') {
    if (toDate !== null) row.fail('to_date', '“记录起始”只填起始日期（自该日起完整掌握该单位欠薪记录），结束日期应为空');
    if (contractorUscc !== undefined) {
      const first = heldSeen.get(contractorUscc);
      if (first !== undefined) row.fail('record_type', `信用代码 ${contractorUscc} 的“记录起始”在第${first}行已填写：每个单位只能有一行记录起始`);
      else heldSeen.set(contractorUscc, row.line);
    }
  }
  if (row.failed || contractorUscc === undefined || recordType === undefined || fromDate === undefined) return undefined;
  return { contractorUscc, contractorName, recordType, fromDate, toDate, projectName, note };
}
