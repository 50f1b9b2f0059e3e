import { describe, expect, it } from 'vitest';
import { quoteLongNumbers } from './json-body.js';

describe('quoteLongNumbers', () => {
  it('quotes only number literals a double cannot carry exactly', () => {
    expect(quoteLongNumbers('{"q":200.0000000000000001,"v":1.5}')).toBe('{"q":"200.0000000000000001","v":1.5}');
    expect(quoteLongNumbers('[12345678901234567890,-0.12345678901234567,123456789012345]')).toBe('["12345678901234567890","-0.12345678901234567",123456789012345]');
    expect(JSON.parse(quoteLongNumbers('{"value":123456789012345.12}'))).toEqual({ value: '123456789012345.12' });
  });

  it('leaves strings, short numbers and exponents alone', () => {
    const text = '{"bl":"12345678901234567890","esc":"a\\"1234567890123456789","n":1e400,"m":100000000000000000000}';
    expect(quoteLongNumbers(text)).toBe(text);
    expect(quoteLongNumbers('{"a": 1}')).toBe('{"a": 1}');
  });

  it('keeps malformed JSON malformed', () => {
    expect(() => JSON.parse(quoteLongNumbers('{"q": 12345678901234567890'))).toThrow(SyntaxError);
  });
});
