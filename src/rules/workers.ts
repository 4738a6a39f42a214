/**
 * 工人 — flags about a roster entry: NO_CONTRACT (劳动合同法 第十条; 条例 第二十八条; its 二倍工资 claim, 第八十二条),
 * JUVENILE_NOT_REGISTERED / JUVENILE_PROHIBITED_WORK (劳动法 第五十八、六十四、六十五条; 未成年工特殊保护规定), UNDERAGE (劳动法 第十五条;
 * 禁止使用童工规定), and the advisory SHARED_PHONE over the project's roster.
 */
import { ageOn, birthDateOf, maskIdNumber } from '../domain/idNumber.ts';
import { maskPhone } from '../domain/phone.ts';
import { doubleWageClaim, type DoubleWageClaim } from './doubleWage.ts';
import { makeFinding, type Finding } from './flags.ts';
import { yuanText } from '../domain/money.ts';
import { cite } from './params/dated.ts';
import type { ProjectView } from './wages.ts';

/** Once per roster entry (entry_date ≤ D); the entry date is the fingerprint's detail. */
export function workerFindings(view: ProjectView): Finding[] {
  const out: Finding[] = [];
  for (const e of view.roster) {
    if (!e.contractSigned) {
      // the worker's own rows up to D's month (the claim reads no other: a month after D is never over on D)
      const claim = doubleWageClaim(e, view.payrollOfWorker(e.idNumber), view.asOf, view.params);
      out.push(
        makeFinding('NO_CONTRACT', view.project, {
          idNumber: e.idNumber,
          evidence: claim ? claim.evidence : [e.ref],
          detail: e.entryDate,
          ...(claim ? { amount: claim.total, params: [claim.param] } : {}),
          text: `${e.name}（${maskIdNumber(e.idNumber)}）${e.entryDate}进场${e.employerName ? `，用工单位${e.employerName}` : ''}，花名册登记未签订书面劳动合同${claim ? doubleWageText(claim) : ''}`,
        }),
      );
    }
    const minAge = view.params.minimumWorkingAge.at(e.entryDate);
    const age = ageOn(e.idNumber, e.entryDate);
    if (age < minAge.value) {
      out.push(
        makeFinding('UNDERAGE', view.project, {
          idNumber: e.idNumber,
          evidence: [e.ref],
          detail: e.entryDate,
          params: [cite(minAge)],
          text: `${e.name}（${maskIdNumber(e.idNumber)}）${e.entryDate}进场时${age}周岁（出生于${birthDateOf(e.idNumber)}，据身份证号），未满${minAge.value}周岁，禁止招用`,
        }),
      );
    }
    if (age >= minAge.value) out.push(...juvenileFindings(view, e, age, cite(minAge)));
  }
  return out;
}

/**
 * 未成年工 (16–17 on the entry date: 未成年工特殊保护规定 第二条; 劳动法 第五十八条) — two flags as far as the roster
 * can tell: JUVENILE_NOT_REGISTERED unless the roster states the registration with the county labour office
 * (规定 第九条, which is made on the 未成年工健康检查表, so it also stands for the check before work of 第六条 and
 * 劳动法 第六十五条; the later yearly checks are not in the data); JUVENILE_PROHIBITED_WORK when the roster's
 * trade (工种) is one the parameter maps onto 规定 第三条 (劳动法 第六十四条). Judged on the entry date, so a
 * worker who turns 18 later keeps the finding of the stay that began as a juvenile.
 */
function juvenileFindings(view: ProjectView, e: ProjectView['roster'][number], age: number, minAge: ReturnType<typeof cite>): Finding[] {
  const upper = view.params.juvenileWorkerAge.at(e.entryDate);
  if (age >= upper.value) return [];
  const who = `${e.name}（${maskIdNumber(e.idNumber)}）${e.entryDate}进场时${age}周岁（出生于${birthDateOf(e.idNumber)}，据身份证号），为未成年工`;
  const out: Finding[] = [];
  if (e.juvenileRegistered !== true) {
    out.push(
      makeFinding('JUVENILE_NOT_REGISTERED', view.project, {
        idNumber: e.idNumber,
        evidence: [e.ref],
        detail: e.entryDate,
        params: [minAge, cite(upper)],
        text: `${who}，花名册${e.juvenileRegistered === false ? '登记未' : '未载明已'}向县级以上劳动行政部门办理未成年工登记（登记凭《未成年工健康检查表》，上岗前须经健康检查）`,
      }),
    );
  }
  const trades = view.params.juvenileProhibitedTrades.at(e.entryDate);
  const hit = e.trade ? trades.value.find((t) => t.trade === e.trade!.trim()) : undefined;
  if (hit) {
    out.push(
      makeFinding('JUVENILE_PROHIBITED_WORK', view.project, {
        idNumber: e.idNumber,
        evidence: [e.ref],
        detail: e.entryDate,
        params: [cite(upper), cite(trades, hit)],
        text: `${who}，花名册工种为${hit.trade}，属《未成年工特殊保护规定》${hit.item}，不得安排未成年工从事`,
      }),
    );
  }
  return out;
}

/** 二倍工资 — the clause the NO_CONTRACT sentence carries (劳动合同法 第八十二条): window, months counted, total. */
function doubleWageText(c: DoubleWageClaim): string {
  const counted = c.months.filter((m) => m.gross !== null);
  const head = `；依《劳动合同法》第八十二条，自${c.from}起至${c.to}（满一年的前一日或退场日）应每月支付二倍工资`;
  if (c.months.length === 0) return `${head}，尚无已结束的月份`;
  const missing = c.missingPayroll.length > 0 ? `，${c.missingPayroll.join('、')}无工资表未计` : '';
  return `${head}，已结束的${counted.length}个月按应发工资计另一倍工资共${yuanText(c.total)}元${missing}`;
}

/** SHARED_PHONE (advisory): N or more different roster workers share one phone number. Once per project. */
export function sharedPhoneFindings(view: ProjectView): Finding[] {
  const threshold = view.params.sharedPhoneWorkers.at(view.asOf);
  const byPhone = new Map<string, Map<string, (typeof view.roster)[number]>>();
  for (const e of view.roster) {
    if (!e.phone) continue;
    const phone = e.phone.replace(/\D/g, '');
    if (phone === '') continue;
    let workers = byPhone.get(phone);
    if (!workers) byPhone.set(phone, (workers = new Map()));
    if (!workers.has(e.idNumber)) workers.set(e.idNumber, e);
  }
  const shared = [...byPhone.entries()].filter(([, w]) => w.size >= threshold.value).sort(([a], [b]) => (a < b ? -1 : 1));
  if (shared.length === 0) return [];
  const evidence = view.roster.filter((e) => e.phone && shared.some(([p]) => p === e.phone!.replace(/\D/g, ''))).map((e) => e.ref);
  const text = shared.map(([phone, w]) => `手机号${maskPhone(phone)}登记了${w.size}名工人（${[...w.values()].map((e) => e.name).join('、')}）`).join('；');
  return [
    makeFinding('SHARED_PHONE', view.project, {
      params: [cite(threshold)],
      evidence,
      text: `花名册中${text}，请核实是否由他人代管工人手机或冒名登记`,
    }),
  ];
}
