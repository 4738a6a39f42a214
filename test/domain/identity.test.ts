import { describe, expect, it } from 'vitest';
import { ageOn, birthDateOf, idCheckCharacter, idNumber, maskIdNumber, parseIdNumber } from '../../src/domain/idNumber.ts';
import { parseUscc, usccCheckCharacter } from '../../src/domain/uscc.ts';
import { luhnValid, maskBankCard, parseBankCard } from '../../src/domain/bankCard.ts';
import { maskPhone, parsePhone } from '../../src/domain/phone.ts';
import { parseBool } from '../../src/domain/bool.ts';
import { isoDate } from '../../src/domain/date.ts';

function reasonOf(r: { ok: boolean; reason?: string }): string {
  return r.ok ? '' : (r.reason ?? '');
}

describe('identity number (GB 11643)', () => {
  it('accepts the standard example 11010519491231002X and stores x as X', () => {
    // Σ digit × weight over 11010519491231002 with weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2:
    //   1·7+1·9+0·10+1·5+0·8+5·4+1·2+9·1+4·6+9·3+1·7+2·9+3·10+1·5+0·8+0·4+2·2
    //   = 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2 → "10X98765432"[2] = X.
    expect(idCheckCharacter('11010519491231002')).toBe('X');
    expect(parseIdNumber('11010519491231002x')).toEqual({ ok: true, value: '11010519491231002X' });
  });

  it('normalises full-width digits and spaces', () => {
    expect(parseIdNumber(' １１０１０５１９４９１２３１００２Ｘ ')).toEqual({ ok: true, value: '11010519491231002X' });
  });

  it('rejects a wrong check character and names the expected one', () => {
    const r = parseIdNumber('110105194912310021');
    expect(r.ok).toBe(false);
    expect(reasonOf(r)).toContain('校验位');
    expect(reasonOf(r)).toContain('X');
  });

  it('rejects a 15-digit legacy number saying what to do', () => {
    const r = parseIdNumber('130503900101001');
    expect(reasonOf(r)).toContain('15位旧号码');
  });

  it('explains Excel scientific notation and does not guess', () => {
    expect(reasonOf(parseIdNumber('1.30503E+17'))).toContain('科学计数法');
    expect(reasonOf(parseIdNumber('1.30503E+17'))).toContain('文本');
  });

  it('explains Excel-zeroed last digits', () => {
    // 130503199001010000: Excel kept 15 significant digits; the check character no longer matches.
    expect(reasonOf(parseIdNumber('130503199001010000'))).toContain('Excel');
  });

  it('rejects a birth date that does not exist (1990-02-30)', () => {
    const first17 = '13050319900230001';
    const r = parseIdNumber(first17 + idCheckCharacter(first17));
    expect(reasonOf(r)).toContain('出生日期');
  });

  it('reads the birth date and the age on a day', () => {
    const first17 = '13050320100615001';
    const id = idNumber(first17 + idCheckCharacter(first17));
    expect(birthDateOf(id)).toBe('2010-06-15');
    expect(ageOn(id, isoDate('2026-06-14'))).toBe(15);
    expect(ageOn(id, isoDate('2026-06-15'))).toBe(16);
  });

  it('masks all but the area code and the last four', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
  });
});

describe('unified social credit code (GB 32100)', () => {
  it('accepts the standard example 91110000600037341L', () => {
    expect(usccCheckCharacter('91110000600037341')).toBe('L');
    expect(parseUscc('91110000600037341l')).toEqual({ ok: true, value: '91110000600037341L' });
  });
  it('rejects a wrong check character, a wrong length and a forbidden letter', () => {
    expect(reasonOf(parseUscc('91110000600037341M'))).toContain('校验位');
    expect(reasonOf(parseUscc('9111000060003734'))).toContain('18位');
    expect(reasonOf(parseUscc('9111000060003734IL'))).toContain('I');
  });
});

describe('bank card (Luhn)', () => {
  it('accepts a Luhn-valid card with spaces and masks it', () => {
    // 4111 1111 1111 1111 is the classic Luhn-valid test number.
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(parseBankCard('4111 1111 1111 1111')).toEqual({ ok: true, value: '4111111111111111' });
    expect(maskBankCard('6222021234567890123')).toBe('6222 **** **** 0123');
  });
  it('rejects a Luhn failure, a short number and Excel notation', () => {
    expect(reasonOf(parseBankCard('4111111111111112'))).toContain('Luhn');
    expect(parseBankCard('12345678901').ok).toBe(false);
    expect(reasonOf(parseBankCard('6.22202E+18'))).toContain('科学计数法');
  });
});

describe('phone and booleans', () => {
  it('accepts an 11-digit mobile number, with +86, and masks it', () => {
    expect(parsePhone('+86 138 1234 5678')).toEqual({ ok: true, value: '13812345678' });
    expect(parsePhone('23812345678').ok).toBe(false);
    expect(maskPhone('13812345678')).toBe('138****5678');
  });
  it.each([
    ['是', true], ['否', false], ['Y', true], ['n', false], ['yes', true], ['FALSE', false], ['1', true], ['0', false],
  ])('reads %s as %s', (text, value) => {
    expect(parseBool(text, !value)).toEqual({ ok: true, value });
  });
  it('gives the default for an empty cell and rejects nonsense', () => {
    expect(parseBool('', true)).toEqual({ ok: true, value: true });
    expect(parseBool('也许', false).ok).toBe(false);
  });
});
