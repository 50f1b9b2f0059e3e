import { describe, expect, it } from 'vitest';
import { fill, problemTitle } from './errors.js';

describe('message templates', () => {
  it('fills placeholders, and picks the word for a count: one problem, two problems', () => {
    expect(problemTitle('SUBMISSION_INVALID', 'en', { count: 1 })).toBe('The declaration has 1 problem; nothing was stored');
    expect(problemTitle('SUBMISSION_INVALID', 'en', { count: 7 })).toBe('The declaration has 7 problems; nothing was stored');
    expect(problemTitle('SUBMISSION_INVALID', 'zh', { count: 7 })).toBe('申报数据有 7 处错误，未作保存');
    expect(fill('{count} {count|box|boxes} at {port}', { count: 0, port: 'CNSHA' })).toBe('0 boxes at CNSHA');
    // A template whose parameter is missing keeps its placeholder, forms and all, so the gap shows.
    expect(fill('{count|box|boxes}', {})).toBe('{count|box|boxes}');
  });
});
