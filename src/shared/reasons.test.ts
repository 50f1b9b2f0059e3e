import { describe, expect, it } from 'vitest';
import { recognise, SYSTEM_REASONS, systemReason, wordReasons, type SystemReasonCode } from './reasons.js';

describe('system reasons', () => {
  it('every reason has both languages with the same parameters', () => {
    const names = (template: string) => [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
    for (const [code, template] of Object.entries(SYSTEM_REASONS)) {
      expect(template.zh, code).not.toBe(template.en);
      expect(names(template.zh), code).toEqual(names(template.en));
    }
  });

  it('stores English and words a reason in the reader language from its parameters', () => {
    const reason = systemReason('ACCOUNT_SUSPENDED', { reason: 'under review: {not a parameter}' });
    expect(reason).toEqual({ code: 'ACCOUNT_SUSPENDED', message: 'account suspended: under review: {not a parameter}', params: { reason: 'under review: {not a parameter}' } });
    expect(wordReasons([reason], 'zh')).toEqual([{ code: 'ACCOUNT_SUSPENDED', message: '账户已暂停：under review: {not a parameter}' }]);
    expect(wordReasons([reason], 'en')).toEqual([{ code: 'ACCOUNT_SUSPENDED', message: reason.message }]);
  });

  it("leaves an agency's own reason, and an unknown code, as written", () => {
    const own = [{ code: 'C01', message: 'rejected by CUS', path: '$.lines[0]' }, { message: '货物与申报不符' }];
    expect(wordReasons(own, 'zh')).toEqual(own);
  });

  it('recognises every reason from its English text, parameters included, for rows stored without a code', () => {
    const params: Record<string, string> = { party: '91310000MA1FL0001X', agency: 'CIQ', reason: 'obtained by fraud\nsecond line' };
    for (const code of Object.keys(SYSTEM_REASONS) as SystemReasonCode[]) {
      const written = systemReason(code, params);
      const found = recognise(written.message);
      expect(found?.code, code).toBe(code);
      expect(wordReasons([{ code, message: written.message }], 'zh')[0]?.message, code).toBe(wordReasons([written], 'zh')[0]?.message);
    }
    expect(recognise('wrong licence')).toBeUndefined();
    expect(recognise('not rejected by CUS today')).toBeUndefined();
  });
});
