/**
 * 工人 — flags about a roster entry: NO_CONTRACT (劳动合同法 第十条; 条例 第二十八条), UNDERAGE (劳动法 第十五条;
 * 禁止使用童工规定), and the advisory SHARED_PHONE over the project's roster.
 */
import { ageOn, birthDateOf, maskIdNumber } from '../domain/idNumber.ts';
import { maskPhone } from '../domain/phone.ts';
import { doubleWageClaim, type DoubleWageClaim } from './doubleWage.ts';
import { makeFinding, type Finding } from './flags.ts';
import { formatYuan } from '../domain/money.ts';
import { cite } from './params/dated.ts';
import type { ProjectView } from './wages.ts';

/** Once per roster entry (entry_date ≤ D); the entry date is the fingerprint's detail. */
export function workerFindings(view: ProjectView): Finding[] {
  const out: Finding[] = [];
  for (const e of view.roster) {
    if (!e.contractSigned) {
      const claim = doubleWageClaim(e, view.project.payroll, view.asOf, view.params);
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
  }
  return out;
}

/** 二倍工资 — the clause the NO_CONTRACT sentence carries (劳动合同法 第八十二条): window, months counted, total. */
function doubleWageText(c: DoubleWageClaim): string {
  const counted = c.months.filter((m) => m.gross !== null);
  const head = `；依《劳动合同法》第八十二条，自${c.from}起至${c.to}（满一年的前一日或退场日）应每月支付二倍工资`;
  if (c.months.length === 0) return `${head}，尚无已结束的月份`;
  const missing = c.missingPayroll.length > 0 ? `，${c.missingPayroll.join('、')}无工资表未计` : '';
  return `${head}，已结束的${counted.length}个月按应发工资计另一倍工资共${formatYuan(c.total)}元${missing}`;
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
