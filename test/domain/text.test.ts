/** The reader's formats of issue 18: yuan grouped by thousands, each law title in its own 书名号. */
import { describe, expect, it } from 'vitest';
import { lawCitation, lawTitle } from '../../src/domain/lawTitle.ts';
import { fen, formatYuan, yuanText } from '../../src/domain/money.ts';

describe('yuanText', () => {
  it('groups fen and API yuan strings by thousands, exactly; the API format stays plain', () => {
    expect(yuanText(fen(840000))).toBe('8,400.00');
    expect(yuanText(fen(4036100))).toBe('40,361.00');
    expect(yuanText(fen(-123456789))).toBe('-1,234,567.89');
    expect(yuanText(fen(99999))).toBe('999.99');
    expect(yuanText('90071992547409.91')).toBe('90,071,992,547,409.91');
    expect(formatYuan(fen(840000))).toBe('8400.00');
  });
});

describe('lawTitle and lawCitation', () => {
  it('puts each title in its own 书名号 and keeps a text that already has them', () => {
    expect(lawTitle('中华人民共和国劳动法；禁止使用童工规定')).toBe('《中华人民共和国劳动法》《禁止使用童工规定》');
    expect(lawTitle('保障农民工工资支付条例')).toBe('《保障农民工工资支付条例》');
    expect(lawTitle('《保障农民工工资支付条例》')).toBe('《保障农民工工资支付条例》');
    expect(lawCitation('保障农民工工资支付条例', '第十二条')).toBe('《保障农民工工资支付条例》第十二条');
    expect(lawCitation('中华人民共和国劳动法；禁止使用童工规定', '劳动法第十五条；禁止使用童工规定第二条')).toBe(
      '《中华人民共和国劳动法》《禁止使用童工规定》（劳动法第十五条；禁止使用童工规定第二条）',
    );
  });
});
