/**
 * 规则核心 — the pure rules core: facts + as-of date + parameters → ledger, findings, assessments. Each rule
 * file opens with the article it implements; docs/RULES-CORE.md lists them.
 * No I/O, no clock, no database (test/rules/purity.test.ts enforces it).
 */
export * from './facts.ts';
export * from './flags.ts';
export * from './calendar.ts';
export { dueDateOf, estimateExposure, ledgerOf, ProjectView, weekdaysBetween, workerMonthLedger, type DueDate, type WageStatus, type WorkerMonth } from './wages.ts';
export {
  arrearsPeriodsOf,
  depositDeadline,
  depositHoldings,
  mergePeriods,
  requiredDeposit,
  type ArrearsPeriod,
  type ContractorRecord,
  type DepositHoldings,
  type DepositRequirement,
  type DepositStep,
  type DepositStepCode,
  DEPOSIT_CHAIN,
  type DepositRule,
} from './deposit.ts';
export { isListedOn } from './blacklist.ts';
export { civilDeadline, civilTerm, periodLastDay, type CivilDeadline, type CivilPeriodUnit } from './period.ts';
export { coversFor, injuryInsuranceCoverage, onSiteSpan, uncoveredSpans, type CoverageRate, type DaySpan, type InjuryInsuranceCoverage } from './insurance.ts';
export { reviewQueue, riskScore, type RiskScore, type RiskTerm } from './risk.ts';
export type { NotApplied, CrossProjectDays } from './payroll.ts';
export { evaluateCity, evaluateProject, type CityEvaluation, type CityOptions, type ProjectAssessment, type ProjectEvaluation, type ReviewQueueItem } from './evaluate.ts';
export { DEFAULT_PARAMS, type RulesParams } from './params/index.ts';
export { dueReminders, owedSubmissions, monthsNeedingSubmissions, SUBMISSION_KIND_ZH, REMINDER_STAGE_ZH, type DueReminder, type OwedSubmission, type SubmissionProjectFacts, type SubmissionKind, type ReminderStage } from './reminders.ts';
