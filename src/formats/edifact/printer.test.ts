import { describe, expect, it } from 'vitest';
import { printInterchange } from './printer.js';
import { CODECO_GATE_IN, COARRI_REPORTS, IFTSTA_STATUS, interchangeText } from './samples.fixture.js';
import type { Interchange } from './tokenizer.js';
import { parseInterchange } from './tokenizer.js';

// Positions and indexes depend on layout; round-tripping is about what the segments say.
function content(interchange: Interchange): unknown {
  return {
    ...interchange,
    header: [interchange.header.tag, interchange.header.elements],
    trailer: [interchange.trailer.tag, interchange.trailer.elements],
    messages: interchange.messages.map((message) => ({ ...message, segments: message.segments.map((segment) => [segment.tag, segment.elements]) })),
  };
}

describe('printInterchange', () => {
  it('prints a compact interchange back to the same text', () => {
    const text = interchangeText('P1', [{ reference: 'M1', type: 'IFTSTA:D:99B:UN', body: ["FTX+AAI+++1?+1?:2 it?'s 100?? sure:next", 'STS+1+VA'] }], false);
    expect(printInterchange(parseInterchange(text))).toBe(text);
  });

  it.each([
    ['CODECO', CODECO_GATE_IN],
    ['COARRI', COARRI_REPORTS],
    ['IFTSTA', IFTSTA_STATUS],
  ])('round-trips the %s sample', (_name, text) => {
    const parsed = parseInterchange(text);
    expect(content(parseInterchange(printInterchange(parsed)))).toEqual(content(parsed));
    expect(content(parseInterchange(printInterchange(parsed, { lineBreaks: true })))).toEqual(content(parsed));
  });

  it('escapes every service character of a custom UNA and keeps the UNA', () => {
    const text = "UNA|*,# !UNB*UNOC|3*S*R*20261127|0640*X1!UNH*7*IFTSTA|D|99B|UN!FTX*AAI***a+b:c'd#|e#*f#!g##h!UNT*3*7!UNZ*1*X1!";
    const parsed = parseInterchange(text);
    expect(parsed.messages[0]?.segments[1]?.elements[3]).toEqual(["a+b:c'd|e*f!g#h"]);
    const printed = printInterchange(parsed);
    expect(printed).toBe(text);
    expect(content(parseInterchange(printed))).toEqual(content(parsed));
  });

  it('escapes values edited after parsing', () => {
    const parsed = parseInterchange(interchangeText('P2', [{ reference: 'M1', type: 'IFTSTA:D:99B:UN', body: ['FTX+AAI+++plain'] }], false));
    const ftx = parsed.messages[0]?.segments[1];
    if (ftx === undefined) throw new Error('no FTX');
    ftx.elements[3] = ["O'Neil + Sons: 50% ?"];
    const printed = printInterchange(parsed);
    expect(printed).toContain("FTX+AAI+++O?'Neil ?+ Sons?: 50% ??'");
    expect(parseInterchange(printed).messages[0]?.segments[1]?.elements[3]).toEqual(["O'Neil + Sons: 50% ?"]);
  });
});
