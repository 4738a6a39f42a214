/**
 * 法定节假日 — the statutory holidays themselves (全国年节及纪念日放假办法), as distinct from the rest-day runs
 * of the yearly schedule (holidays.ts), which also hold weekends and the weekdays swapped for make-up working
 * days (调休). Only these days are paid days inside the 21.75-day standard month (劳动法 第五十一条;
 * 人社部发〔2025〕2号: 月计薪天数 = (365 − 104) ÷ 12, the statutory holidays not removed), so the minimum-wage
 * proration of a part month adds them to the days worked (COMPLIANCE.md BELOW_MIN_WAGE).
 *
 * The decree fixes which festival days are holidays; the lunar ones (春节、清明、端午、中秋) fall on a
 * different calendar day each year, so each year's days are listed. Checked against the rest-day runs of
 * the 2024–2026 notices (test/rules/minimumWage.test.ts); 2019–2023 and 2027 by the lunar calendar only.
 */
import type { IsoDate } from '../../domain/date.ts';
import { dated } from './dated.ts';

const y = (...days: string[]) => days as IsoDate[];

/** year → the statutory holiday days of that year */
export type StatutoryHolidayDays = Readonly<Record<number, readonly IsoDate[]>>;

export const statutoryHolidays = dated<StatutoryHolidayDays>('法定节假日', [
  {
    from: '2014-01-01' as IsoDate,
    to: '2024-12-31' as IsoDate,
    // 11 days: 元旦1、春节3（正月初一至初三）、清明1、劳动节1、端午1、中秋1、国庆3
    value: {
      2019: y('2019-01-01', '2019-02-05', '2019-02-06', '2019-02-07', '2019-04-05', '2019-05-01', '2019-06-07', '2019-09-13', '2019-10-01', '2019-10-02', '2019-10-03'),
      // 2020: 中秋 fell on 10-01 (国庆), so ten distinct days
      2020: y('2020-01-01', '2020-01-25', '2020-01-26', '2020-01-27', '2020-04-04', '2020-05-01', '2020-06-25', '2020-10-01', '2020-10-02', '2020-10-03'),
      2021: y('2021-01-01', '2021-02-12', '2021-02-13', '2021-02-14', '2021-04-04', '2021-05-01', '2021-06-14', '2021-09-21', '2021-10-01', '2021-10-02', '2021-10-03'),
      2022: y('2022-01-01', '2022-02-01', '2022-02-02', '2022-02-03', '2022-04-05', '2022-05-01', '2022-06-03', '2022-09-10', '2022-10-01', '2022-10-02', '2022-10-03'),
      2023: y('2023-01-01', '2023-01-22', '2023-01-23', '2023-01-24', '2023-04-05', '2023-05-01', '2023-06-22', '2023-09-29', '2023-10-01', '2023-10-02', '2023-10-03'),
      2024: y('2024-01-01', '2024-02-10', '2024-02-11', '2024-02-12', '2024-04-04', '2024-05-01', '2024-06-10', '2024-09-17', '2024-10-01', '2024-10-02', '2024-10-03'),
    },
    source: {
      document: '全国年节及纪念日放假办法（2013年修订，国务院令第644号）',
      article: '第二条',
      verified: false,
      note: '全体公民放假的节日共11天；农历节日的公历日期按历法推算，2024年已与当年放假通知的放假区间核对，2019–2023年待与通知核对',
    },
  },
  {
    from: '2025-01-01' as IsoDate,
    // 13 days: 元旦1、春节4（除夕、正月初一至初三）、清明1、劳动节2（5月1日、2日）、端午1、中秋1、国庆3
    value: {
      2025: y('2025-01-01', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-04-04', '2025-05-01', '2025-05-02', '2025-05-31', '2025-10-01', '2025-10-02', '2025-10-03', '2025-10-06'),
      2026: y('2026-01-01', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-04-05', '2026-05-01', '2026-05-02', '2026-06-19', '2026-09-25', '2026-10-01', '2026-10-02', '2026-10-03'),
      2027: y('2027-01-01', '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-04-05', '2027-05-01', '2027-05-02', '2027-06-09', '2027-09-15', '2027-10-01', '2027-10-02', '2027-10-03'),
    },
    source: {
      document: '全国年节及纪念日放假办法（2024年修订，国务院令第795号）',
      article: '第二条',
      verified: true,
      note: '全体公民放假的节日由11天增至13天（人社部发〔2025〕2号引述）；2025、2026年已与当年放假通知核对，2027年按历法推算（待当年通知核对）',
    },
  },
]);
