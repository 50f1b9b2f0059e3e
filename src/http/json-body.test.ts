import { describe, expect, it } from 'vitest';
import { KouanError } from '../shared/errors.js';
import { exactForm, quoteInexactNumbers } from './json-body.js';

/** The field error a body is refused with, or undefined when it is taken. */
function refusal(text: string): string | undefined {
  try {
    quoteInexactNumbers(text);
    return undefined;
  } catch (error) {
    if (!(error instanceof KouanError)) throw error;
    return error.errors.map((problem) => `${problem.path}:${problem.code}`).join(', ');
  }
}

describe('quoteInexactNumbers', () => {
  it('quotes only number literals a double cannot carry exactly', () => {
    expect(quoteInexactNumbers('{"q":200.0000000000000001,"v":1.5}')).toBe('{"q":"200.0000000000000001","v":1.5}');
    expect(quoteInexactNumbers('[12345678901234567890,-0.12345678901234567,123456789012345]')).toBe('["12345678901234567890","-0.12345678901234567",123456789012345]');
    expect(JSON.parse(quoteInexactNumbers('{"value":123456789012345.12}'))).toEqual({ value: '123456789012345.12' });
  });

  it('writes out the exact digits of an exponent literal a double would round', () => {
    const cases: [string, string][] = [
      ['1.0000000000000000001e0', '1.0000000000000000001'],
      ['1.0000000000000000001E0', '1.0000000000000000001'],
      ['1.0000000000000000001e+2', '100.00000000000000001'],
      ['-2.50000000000000000001e-3', '-0.00250000000000000000001'],
      ['12345678901234567e-2', '123456789012345.67'],
      ['12345678901234567e3', '12345678901234567000'],
      ['0.00000000000000000012345678901234567e33', '123456789012345.67'],
      ['1234567890123456789e-25', '0.0000001234567890123456789'],
    ];
    for (const [literal, exact] of cases) {
      expect(quoteInexactNumbers(`{"q":${literal}}`), literal).toBe(`{"q":"${exact}"}`);
      expect(quoteInexactNumbers(`[1,${literal}]`), literal).toBe(`[1,"${exact}"]`);
    }
  });

  it('leaves literals a double carries exactly, exponents or not', () => {
    for (const literal of ['1.5E-7', '1.5e-7', '2.5e+2', '1e21', '1E308', '-1e-300', '5e-324', '0', '-0', '-0.0', '0e999999', '-0.0e-5', '100000000000000000000', '123456789012345', '0.000000000000000000001']) {
      const text = `{"n":${literal},"m":[${literal}]}`;
      expect(quoteInexactNumbers(text), literal).toBe(text);
    }
  });

  it('refuses a literal too large or too small to write out, naming where it is', () => {
    expect(refusal('{"lines":[{"quantity":1},{"quantity":1e400}]}')).toBe('body:$.lines[1].quantity:FIELD_RANGE');
    expect(refusal('{"a b":[1,[2,-1e400]]}')).toBe('body:$["a b"][1][1]:FIELD_RANGE');
    expect(refusal('{"a":{"b":"x","c":{"d":1e-400}}}')).toBe('body:$.a.c.d:FIELD_RANGE');
    expect(refusal('{"k\\"ey":[{},[],2e308]}')).toBe('body:$["k\\"ey"][2]:FIELD_RANGE');
    expect(refusal('1e400')).toBe('body:$:FIELD_RANGE');
    for (const literal of ['1e400', '-1e400', '1e-400', '2e308', '1.7976931348623159e308', '4e-324', '1e99999999999999999999', '1.00000000000000000001e200']) {
      expect(refusal(`{"n":${literal}}`), literal).toBe('body:$.n:FIELD_RANGE');
    }
    // Written out in full, even a very long plain literal keeps its digits: it is quoted as it is.
    const long = `1${'0'.repeat(400)}`;
    expect(quoteInexactNumbers(`{"n":${long}}`)).toBe(`{"n":"${long}"}`);
  });

  it('leaves strings and keys alone, however numeric they look', () => {
    const text = '{"bl":"12345678901234567890","esc":"a\\"1234567890123456789","e":"1e400","f":"1.0000000000000000001e0","1e400":1,"x\\\\":"2e308"}';
    expect(quoteInexactNumbers(text)).toBe(text);
    expect(quoteInexactNumbers('{"a": 1}')).toBe('{"a": 1}');
  });

  it('keeps malformed JSON malformed', () => {
    expect(() => JSON.parse(quoteInexactNumbers('{"q": 12345678901234567890'))).toThrow(SyntaxError);
    expect(() => JSON.parse(quoteInexactNumbers('{"q": 1.0000000000000000001e0'))).toThrow(SyntaxError);
    expect(() => JSON.parse(quoteInexactNumbers('{"q": "1e400'))).toThrow(SyntaxError);
  });
});

describe('exactForm', () => {
  it('keeps, writes out or refuses', () => {
    expect(exactForm('1.5')).toEqual({ quote: false, text: '1.5' });
    expect(exactForm('1.0000000000000000001e0')).toEqual({ quote: true, text: '1.0000000000000000001' });
    expect(exactForm('1e400')).toBeUndefined();
  });
});
