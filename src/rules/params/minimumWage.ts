/**
 * 最低工资 — the types of Hebei's monthly minimum wage by tier and of Xingtai's county → tier map (RULES.md
 * "Minimum wage, Hebei"). The values are data: params/wages/monthlyMinimumWage.yaml and countyTier.yaml.
 * The standard in force on the last day of a wage month applies to that month.
 */
export type WageTier = 1 | 2 | 3 | 4;

/** One county's tier, and whether its placement was checked against the source. */
export interface CountyTier {
  readonly tier: WageTier;
  readonly verified: boolean;
}
