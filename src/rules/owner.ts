/**
 * 建设单位义务 — the owner's and the site's duties as the projects file states them (issue 19 item 6).
 *
 * Implements 保障农民工工资支付条例
 * - 第二十九条: 建设单位应当按照合同约定及时拨付工程款，并将人工费用及时足额拨付至农民工工资专用账户；因建设单位未
 *   按照合同约定及时拨付工程款导致农民工工资拖欠的，建设单位应当以未结清的工程款为限先行垫付被拖欠的农民工工资
 *   → OWNER_ADVANCE_DUE;
 * - 第二十四条第一款: 建设单位应当向施工单位提供工程款支付担保 → NO_PAYMENT_GUARANTEE;
 * - 第二十八条第二款: 施工总承包单位应当在工程项目部配备劳资专管员 → NO_LABOR_OFFICER;
 * - 第三十四条: 施工总承包单位应当在施工现场醒目位置设立维权信息告示牌 → NO_RIGHTS_NOTICE_BOARD.
 *
 * - 第三十六条: 建设单位将建设工程发包或者分包给个人或者不具备合法经营资格的单位，导致拖欠农民工工资的，由建设单位清偿
 *   → OWNER_MUST_CLEAR (the whole arrears; it takes the place of OWNER_ADVANCE_DUE, whose advance it contains).
 *
 * Only what the file states is judged: a duty left empty (not stated) raises nothing — an import without the
 * columns must not flag every project of the city.
 */
import { AS_OF } from '../domain/sentence.ts';
import { fen, minFen, yuanText } from '../domain/money.ts';
import { formatMonthZh, type Month } from '../domain/month.ts';
import type { EvidenceRef } from './facts.ts';
import { makeFinding, type Finding } from './flags.ts';
import type { ProjectView, WorkerMonth } from './wages.ts';

/**
 * OWNER_ADVANCE_DUE — at D the owner's labour-cost allocation is short (LABOR_COST_SHORT holds) and the
 * project's workers are owed wages: the owner owes an advance of min(arrears, unpaid contract money). The
 * shortfall standing at D beside arrears at D is the reading of “导致” (the cause): the money that should
 * have paid the wages is not in the account. Unpaid contract money not stated (or stated for a day after D):
 * the advance is the whole arrears and the sentence says the limit is to be checked.
 */
export function ownerAdvanceFindings(view: ProjectView, ledger: readonly WorkerMonth[], laborShort: Finding | undefined): Finding[] {
  const { project, asOf } = view;
  if (project.ownerDuties?.contractorUnqualified === true) return ownerMustClear(view, ledger);
  if (laborShort === undefined) return [];
  let arrears = 0;
  const months = new Set<Month>();
  const workers = new Set<string>();
  const evidence: EvidenceRef[] = [project.ref, ...laborShort.evidence.filter((e) => e.table !== 'projects')];
  for (const wm of ledger) {
    if (wm.arrears <= 0) continue;
    arrears += wm.arrears;
    months.add(wm.month);
    workers.add(wm.idNumber);
    if (evidence.length < 20) evidence.push(...wm.evidence.slice(0, 1));
  }
  if (arrears === 0) return [];
  const duties = project.ownerDuties;
  const unpaidKnown = duties?.unpaidContractAmount !== undefined && (duties.unpaidContractOn === undefined || duties.unpaidContractOn <= asOf);
  const owed = fen(arrears);
  const monthList = [...months].sort();
  const span = monthList.length === 1 ? formatMonthZh(monthList[0]!) : `${formatMonthZh(monthList[0]!)}至${formatMonthZh(monthList[monthList.length - 1]!)}`;
  const head = `建设单位人工费用拨付不足（少${yuanText(laborShort.amount ?? fen(0))}元），截至${AS_OF}本项目${workers.size}名农民工${span}工资被拖欠${yuanText(owed)}元`;
  if (!unpaidKnown) {
    return [
      makeFinding('OWNER_ADVANCE_DUE', project, {
        amount: owed,
        evidence,
        text: `${head}，建设单位应以未结清的工程款为限先行垫付；项目未登记未结清工程款，垫付上限待核实，按拖欠额${yuanText(owed)}元提示`,
      }),
    ];
  }
  const unpaid = duties!.unpaidContractAmount!;
  if (unpaid <= 0) return [];
  const amount = minFen(owed, unpaid);
  const asOfText = duties!.unpaidContractOn ? `（截至${duties!.unpaidContractOn}）` : '';
  return [
    makeFinding('OWNER_ADVANCE_DUE', project, {
      amount,
      evidence,
      text: `${head}，建设单位未结清工程款${yuanText(unpaid)}元${asOfText}，应以此为限先行垫付${yuanText(amount)}元${amount < owed ? `（拖欠额超出未结清工程款的${yuanText(fen(owed - amount))}元不在垫付之列）` : ''}`,
    }),
  ];
}

/**
 * OWNER_MUST_CLEAR (第三十六条) — the projects file says the owner let the work to an individual or a unit without
 * legal standing, and workers are owed at D: the owner clears the whole arrears (no limit, no labour-cost test).
 */
function ownerMustClear(view: ProjectView, ledger: readonly WorkerMonth[]): Finding[] {
  const { project } = view;
  let arrears = 0;
  const workers = new Set<string>();
  const evidence: EvidenceRef[] = [project.ref];
  for (const wm of ledger) {
    if (wm.arrears <= 0) continue;
    arrears += wm.arrears;
    workers.add(wm.idNumber);
    if (evidence.length < 20) evidence.push(...wm.evidence.slice(0, 1));
  }
  if (arrears === 0) return [];
  return [
    makeFinding('OWNER_MUST_CLEAR', project, {
      amount: fen(arrears),
      evidence,
      text: `据登记建设单位${project.ownerName}将工程发包给个人或不具备合法经营资格的单位（${project.contractorName}），截至${AS_OF}本项目${workers.size}名农民工工资被拖欠${yuanText(fen(arrears))}元，应由建设单位清偿`,
    }),
  ];
}

/**
 * NO_PAYMENT_GUARANTEE (from signing), NO_LABOR_OFFICER and NO_RIGHTS_NOTICE_BOARD (from the start date),
 * each while the project is not completed and only when the file says 否.
 */
export function ownerDutyFindings(view: ProjectView): Finding[] {
  const { project, asOf } = view;
  const duties = project.ownerDuties;
  if (duties === undefined || view.completed) return [];
  const out: Finding[] = [];
  const evidence = [project.ref];
  if (duties.paymentGuarantee === false && project.contractSignedOn <= asOf) {
    out.push(
      makeFinding('NO_PAYMENT_GUARANTEE', project, {
        evidence,
        text: `项目施工合同于${project.contractSignedOn}签订，据登记建设单位${project.ownerName}截至${AS_OF}未向施工单位提供工程款支付担保`,
      }),
    );
  }
  if (project.startDate <= asOf) {
    if (duties.laborOfficer === false) {
      out.push(
        makeFinding('NO_LABOR_OFFICER', project, {
          evidence,
          text: `项目于${project.startDate}开工，据登记施工总承包单位${project.contractorName}截至${AS_OF}未在项目部配备劳资专管员，无人审核分包单位的工资支付表`,
        }),
      );
    }
    if (duties.rightsNoticeBoard === false) {
      out.push(
        makeFinding('NO_RIGHTS_NOTICE_BOARD', project, {
          evidence,
          text: `项目于${project.startDate}开工，据登记施工总承包单位${project.contractorName}截至${AS_OF}未在施工现场醒目位置设立维权信息告示牌`,
        }),
      );
    }
  }
  return out;
}
