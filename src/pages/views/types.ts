/** The API answers the pages read (only the fields they use; see docs/API.md). */
import type { RectificationView as Rectification, WarningView as WarningItem } from '../../services/warnings.ts';
import type { ResponseView } from '../../services/portal/answers.ts';

export interface Assessment {
  asOf: string;
  arrears: string;
  workersInArrears: number;
  oldestOverdueDays: number;
  estimatedExposure: string;
  riskScore: number;
}

export interface ProjectSummary {
  id: number;
  code: string;
  name: string;
  county: string;
  status: 'active' | 'completed';
  contractAmount: string;
  assessment: Assessment | null;
  openFlags: number;
}

export interface EvidenceRow {
  table: string;
  id: number;
  batchId: number;
  line: number;
}

export interface Flag {
  id: number;
  asOf: string;
  code: string;
  severity: string;
  status: string;
  project: { id: number; code: string; name: string; county: string };
  riskScore: number | null;
  idNumber: string | null;
  month: string | null;
  amount: string | null;
  sentence: string;
  legalBasis: { document: string; article: string; advisory: boolean } | null;
  evidence: EvidenceRow[];
  review: { status: string; reason: string; actor: string; at: string } | null;
  /** the order in force and the open case the flag's worker-month is in */
  enforcement?: {
    orders: { id: number; issuedOn: string; deadline: string; link: string }[];
    cases: { id: number; stage: string; filedOn: string; link: string }[];
  };
}

/** 项目预警 (GET /api/v1/warnings) and 预警整改 (GET /api/v1/warnings/rectifications): the service's answer shapes */
export type { WarningView as WarningItem, RectificationView as Rectification } from '../../services/warnings.ts';

export interface WarningPage {
  asOf: string | null;
  items: WarningItem[];
  page: number;
  pageSize: number;
  total: number;
  projectsByLevel: { red: number; orange: number; yellow: number };
}

export interface WarningDetail {
  asOf: string | null;
  /** null: gone from the day's facts, shown for its rectification */
  warning: WarningItem | null;
  rectification: Rectification | null;
  /** the contractor's answers (报送门户), oldest first */
  responses: ResponseView[];
  flags: Flag[];
  /** worker names by flag id */
  names: Record<string, string>;
}

export interface FlagPage {
  items: Flag[];
  page: number;
  pageSize: number;
  total: number;
  asOf: string | null;
}

export interface LedgerItem {
  idNumber: string;
  name: string;
  onPayroll: boolean;
  daysWorked: string | null;
  gross: string | null;
  deductions: string | null;
  netDue: string | null;
  paid: string;
  arrears: string | null;
  dueDate: string | null;
  status: string | null;
  overdueDays: number;
  source: { batchId: number; line: number } | null;
  payments: { amount: string; paidOn: string; channel: string; source: { batchId: number; line: number } }[];
}

export interface Ledger {
  month: string;
  asOf: string;
  basis: string;
  problem: string | null;
  totals: { workers: number; netDue: string; paid: string; arrears: string; estimatedExposure: string };
  items: LedgerItem[];
  total: number;
}

export interface ProjectDetail {
  id: number;
  code: string;
  name: string;
  county: string;
  status: string;
  asOf: string;
  storedAsOf: string | null;
  owner: { uscc: string; name: string | null };
  contractor: { uscc: string; name: string | null };
  contractAmount: string;
  contractSignedOn: string;
  startDate: string;
  plannedEndDate: string | null;
  completionDate: string | null;
  governmentFunded: boolean;
  payDay: number;
  /** 通知联系人 (phones and e-mails masked) */
  contacts?: Record<'laborOfficer' | 'projectManager' | 'ownerContact', { name: string | null; phone: string | null; email: string | null } | null>;
  assessment: (Assessment & { riskTerms: { term: string; points: number; why: string }[] }) | null;
  openFlags: Record<string, number>;
  roster: {
    name: string;
    idNumber: string;
    employer: { uscc: string; name: string | null };
    team: string | null;
    trade: string | null;
    entryDate: string;
    exitDate: string | null;
    activeOnAsOf: boolean;
    contractSigned: boolean;
    bankCard: string | null;
    phone: string | null;
    source: { batchId: number; line: number };
  }[];
  /** arrears: the rules core's (owed once past the due date), null when the rules could not judge the project */
  wageMonths: { month: string; workers: number; onPayroll: number; netDue: string; paid: string; outstanding: string; arrears: string | null; dueDate: string | null }[];
  wageMonthsProblem?: string | null;
  account: {
    accountNo: string | null;
    bank: string | null;
    openedOn: string | null;
    transactions: number;
    lastTransactionOn: string | null;
    inflow: string;
    outflow: string;
    laborCostIn: string;
    wagesOut: string;
    otherOut: string;
    balance: string;
  };
}

export interface DepositStep {
  step: string;
  applied: boolean;
  rate: string;
  why: string;
}

export interface DepositAnswer {
  asOf: string;
  storedAsOf: string | null;
  requirement: {
    requirement?: { deadline: string; exempt: boolean; rate: string; required: number; uncapped: number; cap: number; contractAmount: number; steps: DepositStep[] };
    holdings?: { cash: number; guarantees: number; total: number };
  } | null;
  events: { id: number; event: string; form: string; amount: string; date: string; expiresOn: string | null; voucherNo: string; source: { batchId: number; line: number } }[];
}

export interface Batch {
  id: number;
  kind: string;
  fileName: string;
  sha256: string;
  actor: string;
  importedAt: string;
  encoding: string;
  rowCount: number;
  inserted: number;
  replaced: number;
  warnings: string[];
  duplicate?: boolean;
}

export interface ImportProblem {
  line: number | null;
  column: string | null;
  value: string | null;
  reason: string;
}

export interface ReportListItem {
  asOf: string;
  createdAt: string;
}

export interface StoredReport {
  asOf: string;
  totals: { arrears: string; workersInArrears: number; projectsInArrears: number; estimatedExposure: string; projectCount: number; openFlags: number };
  counties: { county: string; projectCount: number; arrears: string; workersInArrears: number; projectsInArrears: number; openFlags: number }[];
  arrearsByWageMonth?: { months: { month: string; arrears: string; workersInArrears: number }[] };
  /** what limits the figures (e.g. a missing holiday notice: provisional dates) */
  warnings?: { code: string; message: string; year?: number }[];
}
