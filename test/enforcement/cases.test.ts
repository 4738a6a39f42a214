/**
 * Case state machine (every allowed and every forbidden move) and routing (eight kinds of case), with the
 * final-award limit worked by hand: 信都区 is tier 2 under the 2023 Hebei standard, 2,000.00 a month, so
 * 12 months = 24,000.00; 临城县 tier 3, 1,800.00 → 21,600.00.
 */
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/domain/date.ts';
import { fen, type Fen } from '../../src/domain/money.ts';
import { CASE_STAGES, checkTransition, type CaseStage } from '../../src/rules/cases.ts';
import { finalAwardLimit, routeCase, type RoutingFacts } from '../../src/rules/caseRouting.ts';

/** The allowed moves, written out independently of TRANSITIONS. */
const ALLOWED: Record<CaseStage, CaseStage[]> = {
  intake: ['mediation', 'arbitration', 'trial', 'inspection', 'enforcement', 'withdrawn'],
  mediation: ['arbitration', 'inspection', 'closed', 'withdrawn'],
  arbitration: ['awarded', 'trial', 'closed', 'withdrawn'],
  awarded: ['trial', 'enforcement', 'closed'],
  trial: ['judged', 'closed', 'withdrawn'],
  judged: ['enforcement', 'closed'],
  enforcement: ['closed'],
  inspection: ['criminal_referral', 'arbitration', 'closed'],
  criminal_referral: ['closed'],
  closed: [],
  withdrawn: [],
};

describe('case transitions', () => {
  for (const from of CASE_STAGES) {
    for (const to of CASE_STAGES) {
      const allowed = ALLOWED[from].includes(to);
      it(`${from} → ${to} is ${allowed ? 'allowed' : 'forbidden'}`, () => {
        const r = checkTransition(from, to);
        expect(r.ok).toBe(allowed);
        if (!r.ok) {
          expect(r.message).toMatch(/^案件不能从“.+”转入“.+”：/);
          expect([...r.allowed].sort()).toEqual([...ALLOWED[from]].sort());
        } else {
          expect(r.transition.basis.length).toBeGreaterThan(0);
        }
      });
    }
  }
  it('a terminal stage says so', () => {
    const r = checkTransition('closed', 'trial');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('已终结');
  });
});

const ON = '2026-11-28' as IsoDate;
const worker = (i: number, amount: number, months = 1) => ({ idNumber: `W${String(i).padStart(2, '0')}`, amount: fen(amount) as Fen, months });
const facts = (over: Partial<RoutingFacts>): RoutingFacts => ({ on: ON, county: '信都区', claimants: [worker(1, 600_000)], ...over });

describe('final-award limit (调仲法 第四十七条)', () => {
  it('信都区 (tier 2): 12 × 2,000.00 = 24,000.00; 临城县 (tier 3): 21,600.00; an unknown county: none', () => {
    expect(finalAwardLimit('信都区', ON).limit).toBe(2_400_000);
    expect(finalAwardLimit('临城县', ON).limit).toBe(2_160_000);
    expect(finalAwardLimit('某县', ON).limit).toBeNull();
  });
});

describe('routing', () => {
  it('1. an enforceable award or judgment not performed → enforcement (快执)', () => {
    const r = routeCase(facts({ enforceableTitle: true, willingToMediate: true }));
    expect(r.route).toBe('enforcement');
    expect(r.rules.find((x) => x.rule === 'enforceable_title')!.applies).toBe(true);
    expect(r.sentence).toContain('快执');
  });

  it('2. an expired order and one worker owed 3 months totalling 20,000.00 (the top of the range) → criminal referral', () => {
    const r = routeCase(facts({ orderExpiredUnpaid: true, claimants: [worker(1, 2_000_000, 3)], depositHeld: fen(30_000_000) }));
    expect(r.route).toBe('criminal_referral');
    expect(r.threshold.verdict).toBe('met');
    expect(r.alsoConsider.join()).toContain('保证金');
  });

  it('2b. the same at 19,999.99 depends on Hebei\'s figure: inspection is not skipped, and the routing says why', () => {
    const r = routeCase(facts({ orderExpiredUnpaid: true, claimants: [worker(1, 1_999_999, 3)] }));
    expect(r.route).toBe('arbitration');
    expect(r.threshold.verdict).toBe('depends_on_local_figure');
    expect(r.alsoConsider.join()).toContain('河北省数额较大标准');
  });

  it('3. an absconding employer → inspection order (posted at the site), deposit use, referral if still unpaid', () => {
    const r = routeCase(facts({ employerAbsconded: true, depositHeld: fen(100_000) }));
    expect(r.route).toBe('inspection');
    expect(r.alsoConsider.join()).toContain('可支付1,000.00元');
  });

  it('4. ten workers with a common claim → inspection (group); nine do not make a group', () => {
    const ten = Array.from({ length: 10 }, (_, i) => worker(i, 500_000));
    expect(routeCase(facts({ claimants: ten })).route).toBe('inspection');
    const nine = routeCase(facts({ claimants: ten.slice(0, 9) }));
    expect(nine.route).toBe('arbitration');
    expect(nine.rules.find((x) => x.rule === 'group')!.text).toContain('不足10人');
  });

  it('5. a written IOU → trial directly (快审)', () => {
    expect(routeCase(facts({ writtenIou: true, willingToMediate: true })).route).toBe('trial');
  });

  it('6. both willing to mediate → mediation (快调)', () => {
    expect(routeCase(facts({ willingToMediate: true })).route).toBe('mediation');
  });

  it('7. otherwise arbitration: final at exactly 24,000.00 per worker in 信都区, not final at 24,000.01', () => {
    const at = routeCase(facts({ claimants: [worker(1, 2_400_000), worker(2, 100)] }));
    expect(at.route).toBe('arbitration');
    expect(at.finalAward).toBe(true);
    expect(at.sentence).toContain('终局裁决');
    const over = routeCase(facts({ claimants: [worker(1, 2_400_001)] }));
    expect(over.finalAward).toBe(false);
    expect(over.sentence).toContain('非终局');
  });

  it('8. a county with no known tier: arbitration, finality unknown and said so', () => {
    const r = routeCase(facts({ county: '某县' }));
    expect(r.route).toBe('arbitration');
    expect(r.finalAward).toBeNull();
    expect(r.rules.find((x) => x.rule === 'final_award_limit')!.text).toContain('无法计算');
  });

  it('every rule looked at is listed with its article', () => {
    const r = routeCase(facts({}));
    expect(r.rules.map((x) => x.rule)).toEqual(['enforceable_title', 'criminal_referral', 'employer_absconded', 'group', 'written_iou', 'mediation', 'final_award_limit']);
    for (const x of r.rules) expect(x.basis.article).not.toBe('');
  });
});
