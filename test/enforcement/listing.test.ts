/**
 * Criminal-threshold amounts on both sides of each figure, orders and their proposals, the listing criteria,
 * the due process, the 3-year term and early removal — dates worked by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/domain/date.ts';
import { fen, type Fen } from '../../src/domain/money.ts';
import { calendarOf } from '../../src/rules/calendar.ts';
import { criminalThresholdCheck, type WorkerArrears } from '../../src/rules/criminal.ts';
import { checkListingDecision, earlyRemoval, entryOfListing, listingClock, listingCriteria, termEnd } from '../../src/rules/blacklistListing.ts';
import { evaluateOrder, type OrderFacts } from '../../src/rules/orders.ts';
import { dated } from '../../src/rules/params/dated.ts';
import { ENFORCEMENT_PARAMS } from '../../src/rules/params/enforcement.ts';
import { DEFAULT_PARAMS } from '../../src/rules/params/index.ts';
const HOLIDAY_SCHEDULES = DEFAULT_PARAMS.holidays;
import type { WorkerMonth } from '../../src/rules/wages.ts';

const cal = calendarOf(HOLIDAY_SCHEDULES);
const d = (s: string) => s as IsoDate;
const ON = d('2026-11-28');
const w = (i: number, amount: number, months: number): WorkerArrears => ({ idNumber: `W${i}`, amount: fen(amount) as Fen, months });
const many = (n: number, each: number) => Array.from({ length: n }, (_, i) => w(i, each, 1));

describe('criminal threshold (法释〔2013〕3号 第三条), Hebei not configured: both ends of the range', () => {
  it('one worker, 3 months: 4,999.99 not met; 5,000.00 depends on the local figure; 19,999.99 depends; 20,000.00 met', () => {
    expect(criminalThresholdCheck([w(1, 499_999, 3)], ON).verdict).toBe('not_met');
    expect(criminalThresholdCheck([w(1, 500_000, 3)], ON).verdict).toBe('depends_on_local_figure');
    expect(criminalThresholdCheck([w(1, 1_999_999, 3)], ON).verdict).toBe('depends_on_local_figure');
    expect(criminalThresholdCheck([w(1, 2_000_000, 3)], ON).verdict).toBe('met');
  });

  it('one worker owed only 2 months does not meet the single-worker test whatever the amount', () => {
    const r = criminalThresholdCheck([w(1, 9_000_000, 2)], ON);
    expect(r.verdict).toBe('not_met');
    expect(r.sentence).toContain('无人被欠3个月以上');
  });

  it('ten workers: 29,999.90 not met; 30,000.00 depends; 100,000.00 met; nine workers at 100,000.00 not met', () => {
    expect(criminalThresholdCheck(many(10, 299_999), ON).verdict).toBe('not_met'); // 10 × 2,999.99 = 29,999.90
    expect(criminalThresholdCheck(many(10, 300_000), ON).verdict).toBe('depends_on_local_figure');
    expect(criminalThresholdCheck(many(10, 1_000_000), ON).verdict).toBe('met');
    expect(criminalThresholdCheck(many(9, 1_111_112), ON).verdict).toBe('not_met');
  });

  it('with a configured local figure (e.g. 10,000 / 50,000), the answer is yes or no at that figure', () => {
    const p = { ...ENFORCEMENT_PARAMS, criminalThresholdLocal: dated<{ singleWorker: Fen; group: Fen } | null>('本地', [{ from: d('2013-01-23'), value: { singleWorker: fen(1_000_000), group: fen(5_000_000) }, source: { document: '测试', verified: true, localSetting: true } }]) };
    expect(criminalThresholdCheck([w(1, 999_999, 3)], ON, p).verdict).toBe('not_met');
    expect(criminalThresholdCheck([w(1, 1_000_000, 3)], ON, p).verdict).toBe('met');
    expect(criminalThresholdCheck(many(10, 499_999), ON, p).verdict).toBe('not_met');
    expect(criminalThresholdCheck(many(10, 500_000), ON, p).verdict).toBe('met');
  });
});

const wm = (idNumber: string, month: string, arrears: number, paidInFullOn: string | null = null): WorkerMonth =>
  ({ projectId: 1, projectCode: 'XT-1', idNumber, name: idNumber, month, arrears, paidInFullOn }) as unknown as WorkerMonth;

describe('orders to pay (责令限期支付)', () => {
  const order: OrderFacts = {
    issuedOn: d('2026-09-15'),
    deadline: d('2026-09-22'),
    items: ['2026-06', '2026-07', '2026-08'].map((month) => ({ projectId: 1, projectCode: 'XT-1', idNumber: 'A', month, amountOrdered: fen(700_000) })),
  };

  it('before its deadline and unpaid: running, nothing proposed', () => {
    const r = evaluateOrder(order, ['2026-06', '2026-07', '2026-08'].map((m) => wm('A', m, 700_000)), d('2026-09-20'), { depositHeld: fen(10_000_000) }, cal);
    expect(r.status).toBe('running');
    expect(r.proposals).toEqual([]);
  });

  it('paid in full before the deadline: complied; after it: paid_after_deadline', () => {
    const paid = ['2026-06', '2026-07', '2026-08'].map((m) => wm('A', m, 0, '2026-09-21'));
    expect(evaluateOrder(order, paid, d('2026-10-30'), { depositHeld: null }, cal).status).toBe('complied');
    const late = ['2026-06', '2026-07', '2026-08'].map((m) => wm('A', m, 0, '2026-09-30'));
    expect(evaluateOrder(order, late, d('2026-10-30'), { depositHeld: null }, cal).status).toBe('paid_after_deadline');
  });

  it('expired unpaid: deposit use up to what is held, 50–100% compensation, listing due 20 working days after the deadline, criminal referral at 21,000.00 over 3 months', () => {
    // owed 3 × 7,000.00 = 21,000.00 over 3 months ≥ 20,000.00 (top of the range) → met
    const r = evaluateOrder(order, ['2026-06', '2026-07', '2026-08'].map((m) => wm('A', m, 700_000)), d('2026-10-30'), { depositHeld: fen(1_500_000) }, cal);
    expect(r.status).toBe('expired_unpaid');
    expect(r.owed).toBe(2_100_000);
    const by = Object.fromEntries(r.proposals.map((p) => [p.step, p]));
    expect(by.use_deposit!.amount).toBe(1_500_000); // held 15,000.00 < owed
    expect(by.additional_compensation!.range).toEqual({ low: 1_050_000, high: 2_100_000 });
    expect(by.blacklist!.proposed).toBe(true);
    expect(by.blacklist!.dueBy!.due).toBe('2026-10-27'); // see deadlines.test: 20 working days after 09-22
    expect(by.criminal_referral!.proposed).toBe(true);
  });

  it('expired unpaid at 6,000.00 for one month: no referral, no listing unless an incident is recorded', () => {
    const o = { ...order, items: [order.items[0]!] };
    const r = evaluateOrder(o, [wm('A', '2026-06', 600_000)], d('2026-10-30'), { depositHeld: fen(0) }, cal);
    const by = Object.fromEntries(r.proposals.map((p) => [p.step, p]));
    expect(by.use_deposit!.proposed).toBe(false);
    expect(by.blacklist!.proposed).toBe(false);
    expect(by.criminal_referral!.proposed).toBe(false);
    const withIncident = evaluateOrder(o, [wm('A', '2026-06', 600_000)], d('2026-10-30'), { depositHeld: fen(0), incidentRecorded: true }, cal);
    expect(withIncident.proposals.find((p) => p.step === 'blacklist')!.proposed).toBe(true);
  });
});

describe('listing criteria (名单办法 第五条)', () => {
  const met = criminalThresholdCheck([w(1, 2_000_000, 3)], ON);
  const notMet = criminalThresholdCheck([w(1, 499_999, 3)], ON);
  const depends = criminalThresholdCheck([w(1, 500_000, 3)], ON);
  it('no expired order: never eligible, even at the amount', () => {
    expect(listingCriteria({ orderExpiredUnpaid: false, orderDeadline: d('2026-12-01'), threshold: met, incidentRecorded: true }).eligible).toBe(false);
  });
  it('expired order: amount met → eligible (amount); not met → not eligible; an incident → eligible (incident); in the range → depends', () => {
    expect(listingCriteria({ orderExpiredUnpaid: true, orderDeadline: d('2026-09-22'), threshold: met, incidentRecorded: false })).toMatchObject({ eligible: true, criterion: 'amount' });
    expect(listingCriteria({ orderExpiredUnpaid: true, orderDeadline: d('2026-09-22'), threshold: notMet, incidentRecorded: false }).eligible).toBe(false);
    expect(listingCriteria({ orderExpiredUnpaid: true, orderDeadline: d('2026-09-22'), threshold: notMet, incidentRecorded: true })).toMatchObject({ eligible: true, criterion: 'incident' });
    expect(listingCriteria({ orderExpiredUnpaid: true, orderDeadline: d('2026-09-22'), threshold: depends, incidentRecorded: false }).eligible).toBe('depends_on_local_figure');
  });
});

describe('due process, term and early removal', () => {
  const base = { orderDeadline: d('2026-09-22') };
  it('no decision without a notice; not inside the statement window unless the unit has spoken; a correction with a pledge is a recommendation, not a bar', () => {
    expect(checkListingDecision(base, d('2026-10-20'), cal).ok).toBe(false);
    // notice 09-29 → window to 10-12 (deadlines.test)
    expect(checkListingDecision({ ...base, noticedOn: d('2026-09-29') }, d('2026-10-12'), cal).ok).toBe(false);
    expect(checkListingDecision({ ...base, noticedOn: d('2026-09-29') }, d('2026-10-13'), cal).ok).toBe(true);
    expect(checkListingDecision({ ...base, noticedOn: d('2026-09-29'), statementOn: d('2026-10-08') }, d('2026-10-09'), cal).ok).toBe(true);
    // 第七条 可以不予列入 is discretion: corrected 10-09 with a pledge 10-09, a decision on 10-20 is allowed,
    // with the recommendation not to list and a warning that the decision goes against it
    const corrected = checkListingDecision({ ...base, noticedOn: d('2026-09-29'), correctedOn: d('2026-10-09'), pledgeOn: d('2026-10-09') }, d('2026-10-20'), cal);
    expect(corrected.ok).toBe(true);
    if (corrected.ok) {
      expect(corrected.recommendation).toMatchObject({ recommend: 'may_not_list', basis: { article: '第七条' } });
      expect(corrected.warnings.join()).toContain('未采纳不予列入的建议');
    }
    // the pledge dated after the decision day does not count yet: recommend listing (第五条 应当)
    const early = checkListingDecision({ ...base, noticedOn: d('2026-09-29'), correctedOn: d('2026-10-09'), pledgeOn: d('2026-10-21') }, d('2026-10-20'), cal);
    expect(early.ok && early.recommendation.recommend).toBe('list');
    // corrected without a pledge: 第七条 does not apply, recommend listing
    const noPledge = checkListingDecision({ ...base, noticedOn: d('2026-09-29'), correctedOn: d('2026-10-09') }, d('2026-10-20'), cal);
    expect(noPledge.ok && noPledge.recommendation).toMatchObject({ recommend: 'list', basis: { article: '第五条' } });
  });

  it('a decision after 10-27 (20 working days) is late; within 11-24 it is not when the case was declared complex', () => {
    const s = { ...base, noticedOn: d('2026-09-29') };
    expect(checkListingDecision(s, d('2026-10-27'), cal)).toMatchObject({ ok: true, late: false });
    expect(checkListingDecision(s, d('2026-10-28'), cal)).toMatchObject({ ok: true, late: true });
    expect(checkListingDecision({ ...s, complex: true }, d('2026-11-24'), cal)).toMatchObject({ ok: true, late: false });
    expect(checkListingDecision({ ...s, complex: true }, d('2026-11-25'), cal)).toMatchObject({ ok: true, late: true });
  });

  it('term: 3 years from the decision (民法典 第二百零一、二百零二条) — decided 2026-10-27, listed through 2029-10-27, off the list on 2029-10-28', () => {
    // the decision day is not counted: the term runs 2026-10-28 … 2029-10-27 (the corresponding day)
    expect(termEnd(d('2026-10-27'))).toBe('2029-10-28');
    const e = entryOfListing({ uscc: 'X', steps: { ...base, decision: 'listed', decidedOn: d('2026-10-27') } });
    expect(e).toMatchObject({ from: '2026-10-27', to: '2029-10-28' });
    // decided on 29 February: 2031 has no 29 February, the term's last day is 02-28, off the list on 03-01
    expect(termEnd(d('2028-02-29'))).toBe('2031-03-01');
    // a last day on a rest day is not rolled: decided 2023-10-01 → last day 2026-10-01 (国庆) → off on 10-02
    expect(termEnd(d('2023-10-01'))).toBe('2026-10-02');
    expect(entryOfListing({ uscc: 'X', steps: { ...base, decision: 'not_listed', decidedOn: d('2026-10-27') } })).toBeNull();
    expect(entryOfListing({ uscc: 'X', steps: { ...base, decision: 'listed', decidedOn: d('2026-10-27'), removedOn: d('2027-06-01') } })!.to).toBe('2027-06-01');
  });

  it('early removal: 6 months counted from the later of decision and correction; pledge needed; barred by a new default or a criminal case', () => {
    // decided 2025-03-10, corrected 2025-04-30: 04-30 not counted, 6 months run 05-01 … 10-30 (the
    // corresponding day, 民法典 第二百零二条), full at the end of 10-30 → an application succeeds from 2025-10-31
    const s = { orderDeadline: d('2025-02-10'), decision: 'listed' as const, decidedOn: d('2025-03-10'), correctedOn: d('2025-04-30'), pledgeOn: d('2025-05-06') };
    expect(earlyRemoval(s, d('2025-10-30'), cal)!.eligible).toBe(false);
    const ok = earlyRemoval(s, d('2025-10-31'), cal)!;
    expect(ok.eligible).toBe(true);
    expect(ok.earliestOn).toBe('2025-10-31');
    // corrected before the decision: counted from the decision, 2025-03-10 → last day 2025-09-10 → from 09-11
    expect(earlyRemoval({ ...s, correctedOn: d('2025-03-01') }, d('2025-09-10'), cal)!.earliestOn).toBe('2025-09-11');
    expect(earlyRemoval({ ...s, correctedOn: d('2025-03-01') }, d('2025-09-10'), cal)!.eligible).toBe(false);
    // corrected on 08-31: no 02-31, the 6 months end on 2026-02-28 → from 2026-03-01
    expect(earlyRemoval({ ...s, correctedOn: d('2025-08-31') }, d('2026-03-01'), cal)!.earliestOn).toBe('2026-03-01');
    expect(earlyRemoval({ ...s, pledgeOn: undefined }, d('2025-11-30'), cal)!.eligible).toBe(false);
    expect(earlyRemoval({ ...s, defaultedAgain: true }, d('2025-11-30'), cal)!.reasons.join()).toContain('第十三条');
    expect(earlyRemoval({ ...s, criminalCase: true }, d('2025-11-30'), cal)!.eligible).toBe(false);
    expect(earlyRemoval({ ...s, correctedOn: undefined }, d('2025-11-30'), cal)!.eligible).toBe(false);
  });

  it('office decides within 15 working days of the application and removes within 10 working days of the decision', () => {
    // applied Thu 2025-10-30: 10-31 (1), 11-03…07 (6), 11-10…14 (11), 11-17…20 (15) → 2025-11-20
    // decided 2025-11-20: 11-21 (1), 11-24…28 (6), 12-01…04 (10) → 2025-12-04
    const s = { orderDeadline: d('2025-02-10'), decision: 'listed' as const, decidedOn: d('2025-03-10'), correctedOn: d('2025-04-30'), pledgeOn: d('2025-05-06'), removalAppliedOn: d('2025-10-30'), removalDecidedOn: d('2025-11-20') };
    const c = listingClock(s, d('2025-11-20'), cal);
    expect(c.earlyRemoval!.decisionDue!.due).toBe('2025-11-20');
    expect(c.earlyRemoval!.removalDue!.due).toBe('2025-12-04');
    expect(c.termEndsOn).toBe('2028-03-11'); // last day on the list 2028-03-10
  });
});
