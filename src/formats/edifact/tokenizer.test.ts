import { describe, expect, it } from 'vitest';
import { EdifactError, parseInterchange } from './tokenizer.js';

const UNB = "UNB+UNOA:3+SENDER:ZZZ+RECIPIENT:ZZZ+261127:0640+IC0001'";

function refusal(text: string, limits?: { maxBytes?: number; maxSegments?: number }): EdifactError {
  try {
    parseInterchange(text, limits);
  } catch (error) {
    if (error instanceof EdifactError) return error;
    throw error;
  }
  throw new Error('expected the interchange to be refused');
}

describe('parseInterchange', () => {
  it('reads a minimal interchange with the default service characters', () => {
    const text = `${UNB}UNH+M1+CODECO:D:95B:UN'BGM+34+DOC1+9'UNT+3+M1'UNZ+1+IC0001'`;
    const interchange = parseInterchange(text);
    expect(interchange).toMatchObject({
      syntax: { identifier: 'UNOA', version: '3' },
      sender: 'SENDER',
      recipient: 'RECIPIENT',
      preparedAt: '2026-11-27T06:40:00Z',
      controlRef: 'IC0001',
      hasServiceStringAdvice: false,
    });
    expect(interchange.messages).toHaveLength(1);
    const message = interchange.messages[0];
    expect(message).toMatchObject({ type: 'CODECO', version: 'D95B', agency: 'UN', reference: 'M1' });
    expect(message?.segments.map((segment) => segment.tag)).toEqual(['UNH', 'BGM', 'UNT']);
    expect(message?.segments[1]).toEqual({ tag: 'BGM', elements: [['34'], ['DOC1'], ['9']], index: 2, position: UNB.length + 23 });
    expect(interchange.trailer).toMatchObject({ tag: 'UNZ', index: 4 });
  });

  it('honours a UNA with custom separators and counts it as segment 0', () => {
    const text = "UNA|*,# !UNB*UNOC|3*S*R*20261127|0640*X1!UNH*7*IFTSTA|D|99B|UN!FTX*AAI***a+b:c'd#|e!UNT*3*7!UNZ*1*X1!";
    const interchange = parseInterchange(text);
    expect(interchange.hasServiceStringAdvice).toBe(true);
    expect(interchange.serviceCharacters).toEqual({ component: '|', element: '*', decimal: ',', release: '#', repetition: ' ', terminator: '!' });
    expect(interchange.header.index).toBe(1);
    expect(interchange.header.position).toBe(9);
    expect(interchange.preparedAt).toBe('2026-11-27T06:40:00Z');
    const ftx = interchange.messages[0]?.segments[1];
    // The default separators are plain data here, and the release character protects the custom ones.
    expect(ftx?.elements).toEqual([['AAI'], [''], [''], ["a+b:c'd|e"]]);
  });

  it('unescapes ?+ ?: ?\' and ?? with the release character', () => {
    const text = `${UNB}UNH+M1+IFTSTA:D:99B:UN'FTX+AAI+++1?+1?:2 it?'s 100?? sure:next'UNT+3+M1'UNZ+1+IC0001'`;
    const ftx = parseInterchange(text).messages[0]?.segments[1];
    expect(ftx?.elements[3]).toEqual(["1+1:2 it's 100? sure", 'next']);
  });

  it('keeps empty elements and components and skips line breaks between segments', () => {
    const text = `${UNB}\r\nUNH+M1+COARRI:D:95B:UN:SMDG20'\nTDT+20+012E+1++MSC:172:20+++9321483:146::MSC ANNA'\nUNT+3+M1'\nUNZ+1+IC0001'\n`;
    const tdt = parseInterchange(text).messages[0]?.segments[1];
    expect(tdt?.elements).toEqual([['20'], ['012E'], ['1'], [''], ['MSC', '172', '20'], [''], [''], ['9321483', '146', '', 'MSC ANNA']]);
    expect(tdt?.position).toBe(text.indexOf('TDT'));
  });

  it('accepts several messages and checks the UNZ count against them', () => {
    const text = `${UNB}UNH+A+CODECO:D:95B:UN'UNT+2+A'UNH+B+CODECO:D:95B:UN'UNT+2+B'UNZ+2+IC0001'`;
    expect(parseInterchange(text).messages.map((message) => message.reference)).toEqual(['A', 'B']);
  });

  it('reads a syntax version 4 date (CCYYMMDD)', () => {
    const text = "UNB+UNOC:4+S+R+20261231:2359+C'UNZ+0+C'";
    expect(parseInterchange(text).preparedAt).toBe('2026-12-31T23:59:00Z');
  });
});

describe('parseInterchange refusals', () => {
  it('EDIFACT_TOO_LARGE over maxBytes, counting UTF-8 bytes', () => {
    const text = `${UNB}UNZ+0+IC0001'`;
    expect(() => parseInterchange(text, { maxBytes: text.length })).not.toThrow();
    const error = refusal(`${text}é`, { maxBytes: text.length + 1 });
    expect(error).toMatchObject({ code: 'EDIFACT_TOO_LARGE', segment: null, position: 0 });
  });

  it('EDIFACT_TOO_LARGE over maxSegments, at the first segment beyond the limit', () => {
    const text = `${UNB}UNH+A+CODECO:D:95B:UN'UNT+2+A'UNZ+1+IC0001'`;
    expect(() => parseInterchange(text, { maxSegments: 4 })).not.toThrow();
    const error = refusal(text, { maxSegments: 3 });
    expect(error).toMatchObject({ code: 'EDIFACT_TOO_LARGE', segment: { index: 3, tag: 'UNZ' }, position: text.indexOf('UNZ') });
  });

  it('EDIFACT_UNTERMINATED when the last segment has no terminator', () => {
    const text = `${UNB}UNH+A+CODECO:D:95B:UN'UNT+2+A'UNZ+1+IC0001`;
    expect(refusal(text)).toMatchObject({ code: 'EDIFACT_UNTERMINATED', segment: { index: 3, tag: 'UNZ' }, position: text.indexOf('UNZ') });
  });

  it('EDIFACT_UNTERMINATED when the text ends on a release character', () => {
    const text = `${UNB}UNZ+0+IC0001?`;
    expect(refusal(text)).toMatchObject({ code: 'EDIFACT_UNTERMINATED', segment: { index: 1, tag: 'UNZ' }, position: UNB.length });
  });

  it('EDIFACT_UNTERMINATED when UNZ is missing, at the end of the text', () => {
    const text = `${UNB}UNH+A+CODECO:D:95B:UN'UNT+2+A'`;
    expect(refusal(text)).toMatchObject({ code: 'EDIFACT_UNTERMINATED', segment: { index: 2, tag: 'UNT' }, position: text.length });
  });

  it('EDIFACT_UNTERMINATED for a cut UNA', () => {
    expect(refusal('UNA:+.')).toMatchObject({ code: 'EDIFACT_UNTERMINATED', segment: { index: 0, tag: 'UNA' }, position: 6 });
  });

  it('EDIFACT_SYNTAX for a UNA that gives one character twice', () => {
    expect(refusal("UNA:+.?:'UNB")).toMatchObject({ code: 'EDIFACT_SYNTAX', segment: { index: 0, tag: 'UNA' }, position: 7 });
  });

  it('EDIFACT_SYNTAX for a segment tag that is not three capitals or digits', () => {
    const text = `${UNB}UNH+A+CODECO:D:95B:UN'bgm+34'UNT+3+A'UNZ+1+IC0001'`;
    expect(refusal(text)).toMatchObject({ code: 'EDIFACT_SYNTAX', segment: { index: 2, tag: 'bgm' }, position: text.indexOf('bgm') });
  });

  it('EDIFACT_ENVELOPE when the interchange does not start with UNB', () => {
    const text = "UNH+A+CODECO:D:95B:UN'UNT+2+A'";
    expect(refusal(text)).toMatchObject({ code: 'EDIFACT_ENVELOPE', segment: { index: 0, tag: 'UNH' }, position: 0 });
  });

  it('EDIFACT_ENVELOPE for a bad UNB date, at that element', () => {
    const text = "UNB+UNOA:3+S+R+261332:0640+C'UNZ+0+C'";
    expect(refusal(text)).toMatchObject({ code: 'EDIFACT_ENVELOPE', segment: { index: 0, tag: 'UNB' }, position: text.indexOf('261332') });
  });

  it('EDIFACT_ENVELOPE for a segment outside a message', () => {
    const text = `${UNB}BGM+34'UNZ+0+IC0001'`;
    expect(refusal(text)).toMatchObject({ code: 'EDIFACT_ENVELOPE', segment: { index: 1, tag: 'BGM' }, position: UNB.length });
  });

  it('EDIFACT_ENVELOPE for a message not closed before the next UNH', () => {
    const text = `${UNB}UNH+A+CODECO:D:95B:UN'UNH+B+CODECO:D:95B:UN'UNT+2+B'UNZ+1+IC0001'`;
    expect(refusal(text)).toMatchObject({ code: 'EDIFACT_ENVELOPE', segment: { index: 2, tag: 'UNH' }, position: text.lastIndexOf('UNH') });
  });

  it('EDIFACT_ENVELOPE for a segment after UNZ', () => {
    const text = `${UNB}UNZ+0+IC0001'UNH+A+CODECO:D:95B:UN'`;
    expect(refusal(text)).toMatchObject({ code: 'EDIFACT_ENVELOPE', segment: { index: 2, tag: 'UNH' }, position: text.indexOf('UNH') });
  });

  it('takes an empty functional group, and UNZ counts it (envelope.test.ts has the rest)', () => {
    const text = `${UNB}UNG+CODECO+S+R+261127:0640+G1+UN+D:95B'UNE+0+G1'UNZ+1+IC0001'`;
    expect(parseInterchange(text).groups).toMatchObject([{ reference: 'G1', messages: [] }]);
  });

  it('EDIFACT_COUNT_MISMATCH when UNT counts the wrong number of segments, at the count', () => {
    const text = `${UNB}UNH+A+CODECO:D:95B:UN'BGM+34+D+9'UNT+2+A'UNZ+1+IC0001'`;
    expect(refusal(text)).toMatchObject({ code: 'EDIFACT_COUNT_MISMATCH', segment: { index: 3, tag: 'UNT' }, position: text.indexOf('UNT') + 4 });
  });

  it('EDIFACT_COUNT_MISMATCH when UNZ counts the wrong number of messages', () => {
    const text = `${UNB}UNH+A+CODECO:D:95B:UN'UNT+2+A'UNZ+2+IC0001'`;
    expect(refusal(text)).toMatchObject({ code: 'EDIFACT_COUNT_MISMATCH', segment: { index: 3, tag: 'UNZ' }, position: text.indexOf('UNZ') + 4 });
  });

  it('EDIFACT_REFERENCE_MISMATCH when UNT names another message', () => {
    const text = `${UNB}UNH+A+CODECO:D:95B:UN'UNT+2+B'UNZ+1+IC0001'`;
    expect(refusal(text)).toMatchObject({ code: 'EDIFACT_REFERENCE_MISMATCH', segment: { index: 2, tag: 'UNT' }, position: text.indexOf('UNT') + 6 });
  });

  it('EDIFACT_REFERENCE_MISMATCH when UNZ names another interchange', () => {
    const text = `${UNB}UNZ+0+IC0002'`;
    const error = refusal(text);
    expect(error).toMatchObject({ code: 'EDIFACT_REFERENCE_MISMATCH', segment: { index: 1, tag: 'UNZ' }, position: text.indexOf('IC0002') });
    expect(error.message).toBe(`UNZ control reference "IC0002" differs from UNB's "IC0001" (in segment 1 (UNZ) at character ${text.indexOf('IC0002')})`);
  });

  it('reports the first problem in the text, not a later one', () => {
    // The UNT count is wrong before the text is cut short; the count is what the sender must fix first.
    const text = `${UNB}UNH+A+CODECO:D:95B:UN'UNT+9+A'UNZ+1+IC0001`;
    expect(refusal(text).code).toBe('EDIFACT_COUNT_MISMATCH');
  });
});
