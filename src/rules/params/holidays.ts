/**
 * 全国年节放假安排 — China's official holiday schedule, one notice per year (RULES.md "Working days").
 *
 * A schedule lists the statutory rest days (放假, ranges inclusive) and the make-up working days (调休上班,
 * usually a Saturday or Sunday that becomes a working day). Every other Saturday and Sunday is a rest day;
 * every other weekday is a working day. A year with no schedule here is an error for any deadline that
 * needs it (calendar.ts throws): a deadline computed without the year's notice could be wrong by days.
 */
import type { IsoDate } from '../../domain/date.ts';
import type { ParamSource } from './dated.ts';

export interface HolidaySchedule {
  readonly year: number;
  /** 放假 — rest-day ranges [first, last], inclusive */
  readonly restDays: readonly (readonly [IsoDate, IsoDate])[];
  /** 调休上班 — weekend days that are working days */
  readonly makeUpWorkDays: readonly IsoDate[];
  readonly source: ParamSource;
}

const d = (s: string) => s as IsoDate;

export const HOLIDAY_SCHEDULES: readonly HolidaySchedule[] = [
  {
    year: 2024,
    restDays: [
      [d('2024-01-01'), d('2024-01-01')],
      [d('2024-02-10'), d('2024-02-17')],
      [d('2024-04-04'), d('2024-04-06')],
      [d('2024-05-01'), d('2024-05-05')],
      [d('2024-06-10'), d('2024-06-10')],
      [d('2024-09-15'), d('2024-09-17')],
      [d('2024-10-01'), d('2024-10-07')],
    ],
    makeUpWorkDays: [d('2024-02-04'), d('2024-02-18'), d('2024-04-07'), d('2024-04-28'), d('2024-05-11'), d('2024-09-14'), d('2024-09-29'), d('2024-10-12')],
    source: {
      document: '国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号）',
      verified: false,
      note: '不在 RULES.md 中，按记忆录入，待与通知原文核对（to confirm）；仅用于2024年的期限计算',
    },
  },
  {
    year: 2025,
    restDays: [
      [d('2025-01-01'), d('2025-01-01')],
      [d('2025-01-28'), d('2025-02-04')],
      [d('2025-04-04'), d('2025-04-06')],
      [d('2025-05-01'), d('2025-05-05')],
      [d('2025-05-31'), d('2025-06-02')],
      [d('2025-10-01'), d('2025-10-08')],
    ],
    makeUpWorkDays: [d('2025-01-26'), d('2025-02-08'), d('2025-04-27'), d('2025-09-28'), d('2025-10-11')],
    source: { document: '国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）', verified: true },
  },
  {
    year: 2026,
    restDays: [
      [d('2026-01-01'), d('2026-01-03')],
      [d('2026-02-15'), d('2026-02-23')],
      [d('2026-04-04'), d('2026-04-06')],
      [d('2026-05-01'), d('2026-05-05')],
      [d('2026-06-19'), d('2026-06-21')],
      [d('2026-09-25'), d('2026-09-27')],
      [d('2026-10-01'), d('2026-10-07')],
    ],
    makeUpWorkDays: [d('2026-01-04'), d('2026-02-14'), d('2026-02-28'), d('2026-05-09'), d('2026-09-20'), d('2026-10-10')],
    source: { document: '国务院办公厅关于2026年部分节假日安排的通知（2025-11-04）', verified: true },
  },
];
