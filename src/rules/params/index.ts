/**
 * The parameter set the rules core runs with. Every legal number is data in `params/` (one file per
 * parameter, values keyed by the date each starts, each with its source), read through one typed and
 * validated loader (files.ts → build.ts → shipped.ts). Every rule takes the set as an argument (default:
 * the shipped Hebei/Xingtai values, DEFAULT_PARAMS); the bureau's imports are laid over it by
 * services/params.ts, so a new year's holiday notice or a minimum-wage adjustment needs no release.
 */
export * from './dated.ts';
export * from './holidays.ts';
export * from './minimumWage.ts';
export * from './thresholds.ts';
export * from './enforcement.ts';
export { PARAM_DEFS, PARAM_KEYS, UNITS, HOLIDAYS_KEY, type ParamKey, type RulesParams, type Unit } from './schema.ts';
export { parseParamFile, ParamFileError, type Doc, type ParamDoc, type HolidayDoc, type ParamFileProblem, type RawEntry } from './files.ts';
export { buildParams, type ParamSet, type CatalogParam, type CatalogHolidays } from './build.ts';
export { DEFAULT_PARAMS, SHIPPED, SHIPPED_DOCS, readParamDir, shippedParamsDir } from './shipped.ts';
