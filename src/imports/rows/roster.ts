/** 实名制花名册 — a row of a roster file (DATA-FORMATS.md "roster"). */
import { parseBankCard, type BankCard } from '../../domain/bankCard.ts';
import { parseBool } from '../../domain/bool.ts';
import { parseCellDate, type IsoDate } from '../../domain/date.ts';
import { parseIdNumber, type IdNumber } from '../../domain/idNumber.ts';
import type { Fen } from '../../domain/money.ts';
import { parsePhone, type Phone } from '../../domain/phone.ts';
import { parseUscc, type Uscc } from '../../domain/uscc.ts';
import { parseWageBasis } from '../enums.ts';
import type { RowReader } from '../rowReader.ts';
import { parseName, parsePositiveYuan } from '../values.ts';
import type { ProjectRef, ProjectRefs } from './projectRefs.ts';

export interface RosterRow {
  readonly project: ProjectRef;
  readonly name: string;
  readonly idNumber: IdNumber;
  readonly employerName: string;
  readonly employerUscc: Uscc;
  readonly team: string | null;
  readonly trade: string | null;
  readonly entryDate: IsoDate;
  readonly exitDate: IsoDate | null;
  readonly contractSigned: boolean;
  /** 未成年工登记: true/false as stated, null when the column is empty or absent */
  readonly juvenileRegistered: boolean | null;
  readonly wageBasis: 'daily' | 'monthly' | 'piece';
  readonly wageRateFen: Fen | null;
  readonly bankCard: BankCard;
  readonly bankName: string | null;
  readonly phone: Phone | null;
}

export function parseRosterRow(row: RowReader, projects: ProjectRefs): RosterRow | undefined {
  const project = projects.resolve(row);
  const name = row.required('name', parseName);
  const idNumber = row.required('id_number', parseIdNumber);
  const employerName = row.requiredText('employer_name');
  const employerUscc = row.required('employer_uscc', parseUscc);
  const team = row.optionalText('team');
  const trade = row.optionalText('trade');
  const entryDate = row.required('entry_date', parseCellDate);
  const exitDate = row.optional('exit_date', parseCellDate);
  const contractSigned = row.optional('contract_signed', (raw) => parseBool(raw, false)) ?? false;
  const juvenileRegistered = row.optional('juvenile_registered', (raw) => parseBool(raw, false)) ?? null;
  const wageBasis = row.required('wage_basis', parseWageBasis);
  const wageRateFen = row.optional('wage_rate', parsePositiveYuan);
  const bankCard = row.required('bank_card', parseBankCard);
  const bankName = row.optionalText('bank_name');
  const phone = row.optional('phone', parsePhone);

  if (entryDate !== undefined && exitDate !== null && exitDate < entryDate) {
    row.fail('exit_date', `退场日期 ${exitDate} 早于进场日期 ${entryDate}，请核对`);
  }
  if ((wageBasis === 'daily' || wageBasis === 'monthly') && !row.has('wage_rate')) {
    row.fail(
      'wage_rate',
      `计薪方式为${wageBasis === 'daily' ? '日薪' : '月薪'}时必须填写工资标准（每${wageBasis === 'daily' ? '天' : '月'}多少元）`,
    );
  }
  if (
    row.failed ||
    project === undefined ||
    name === undefined ||
    idNumber === undefined ||
    employerName === undefined ||
    employerUscc === undefined ||
    entryDate === undefined ||
    wageBasis === undefined ||
    bankCard === undefined
  ) {
    return undefined;
  }
  return {
    project,
    name,
    idNumber,
    employerName,
    employerUscc,
    team,
    trade,
    entryDate,
    exitDate,
    contractSigned,
    juvenileRegistered,
    wageBasis,
    wageRateFen,
    bankCard,
    bankName,
    phone,
  };
}
