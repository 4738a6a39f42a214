/**
 * The parameter set the rules core runs with. Every rule takes it as an argument (default: the shipped
 * Hebei/Xingtai values), so a bureau setting or a test can change one number without touching a rule.
 */
import { accountOpeningDeadline, defaultPayDay, laborCostCycle, ledgerRetention, maxHolidayShiftDays, minimumWorkingAge } from './deadlines.ts';
import {
  depositArrearsRaise,
  depositBaseRate,
  depositBlacklistRaise,
  depositCap,
  depositCleanYearsCut,
  depositCleanYearsExemption,
  depositNationalBounds,
  depositReplenishDeadline,
  depositSecondProjectCut,
  depositSmallContractExemption,
  depositStoreDeadline,
  guaranteeExpiringWindow,
} from './deposit.ts';
import { HOLIDAY_SCHEDULES, type HolidaySchedule } from './holidays.ts';
import { hebeiMonthlyMinimumWage, standardMonthDays, xingtaiCountyTier } from './minimumWage.ts';
import { statutoryHolidays } from './statutoryHolidays.ts';
import { lowPayrollCoverageShare, payOutlierThresholds, riskWeights, sharedPayeeCardWorkers, sharedPhoneWorkers } from './thresholds.ts';

export * from './dated.ts';
export * from './holidays.ts';
export * from './minimumWage.ts';
export * from './deposit.ts';
export * from './deadlines.ts';
export * from './thresholds.ts';
export * from './statutoryHolidays.ts';

export const DEFAULT_PARAMS = {
  holidays: HOLIDAY_SCHEDULES as readonly HolidaySchedule[],
  monthlyMinimumWage: hebeiMonthlyMinimumWage,
  countyTier: xingtaiCountyTier,
  standardMonthDays,
  statutoryHolidays,
  minimumWorkingAge,
  defaultPayDay,
  maxHolidayShiftDays,
  accountOpeningDeadline,
  laborCostCycle,
  ledgerRetention,
  depositBaseRate,
  depositCap,
  depositNationalBounds,
  depositSecondProjectCut,
  depositSmallContractExemption,
  depositCleanYearsCut,
  depositCleanYearsExemption,
  depositArrearsRaise,
  depositBlacklistRaise,
  depositStoreDeadline,
  depositReplenishDeadline,
  guaranteeExpiringWindow,
  payOutlierThresholds,
  sharedPayeeCardWorkers,
  sharedPhoneWorkers,
  lowPayrollCoverageShare,
  riskWeights,
};

/** 规则参数 — every dated parameter the rules core reads. */
export type RulesParams = typeof DEFAULT_PARAMS;
export * from './enforcement.ts';
