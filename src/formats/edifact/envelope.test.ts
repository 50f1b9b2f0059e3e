// The envelope as real senders write it (issue 11): a byte order mark, the repertoire named by the UNB syntax
// identifier (and a Content-Type charset), functional groups, and syntax version 4 repetitions.
import { describe, expect, it } from 'vitest';
import { printInterchange } from './printer.js';
import { decodeInterchange, EdifactError, parseInterchange, type ParseOptions } from './tokenizer.js';
import { interchangeToEvents } from './tracking.js';

function refusal(input: string | Uint8Array, options: ParseOptions = {}): EdifactError {
  try {
    parseInterchange(input, {}, options);
  } catch (error) {
    if (error instanceof EdifactError) return error;
    throw error;
  }
  throw new Error('expected the interchange to be refused');
}

/** A CODECO gate-in at Gothenburg (Skandiahamnen), its terminal named with a non-ASCII letter. */
function gothenburg(identifier: string, version = '3'): string {
  const body = [
    'UNH+1+CODECO:D:95B:UN:ITG13',
    'BGM+34+GI1+9',
    'LOC+165+SEGOT:139:6+SKA:TER:ZZZ:Skandiahamnen Göteborg',
    'EQD+CN+MSKU1234565+45G1:102:5++2+5',
    'DTM+7:202611270640:203',
    'UNT+6+1',
  ];
  return [`UNB+${identifier}:${version}+APMTGOT:ZZZ+CARRIERX:ZZZ+261127:0700+SE1`, ...body, 'UNZ+1+SE1'].map((line) => `${line}'`).join('\n');
}

const facilityOf = (input: string | Uint8Array, options: ParseOptions = {}) => interchangeToEvents(parseInterchange(input, {}, options)).events[0]?.facility;

describe('byte order mark', () => {
  const text = `UNA:+.? '${gothenburg('UNOW').replace('Göteborg', 'Goteborg')}`;

  it('is taken before UNA, as bytes and as a decoded string', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    expect(parseInterchange(bytes).hasServiceStringAdvice).toBe(true);
    expect(parseInterchange(`\uFEFF${text}`).messages).toHaveLength(1);
    expect(parseInterchange(`\uFEFF${gothenburg('UNOW')}`).messages).toHaveLength(1);
  });

  it('is refused anywhere but at the very start', () => {
    const inside = text.replace("UNH+1", "\uFEFFUNH+1");
    expect(refusal(inside)).toMatchObject({ code: 'EDIFACT_SYNTAX' });
    expect(refusal(`\uFEFF\uFEFF${text}`)).toMatchObject({ code: 'EDIFACT_SYNTAX' });
  });
});

describe('repertoire by the UNB syntax identifier', () => {
  it('decodes UNOC as ISO 8859-1: "Göteborg" in one byte', () => {
    const latin1 = Buffer.from(gothenburg('UNOC'), 'latin1');
    expect(latin1.includes(0xf6)).toBe(true);
    expect(facilityOf(latin1)).toBe('Skandiahamnen Göteborg');
    expect(facilityOf(latin1, { charset: 'ISO-8859-1' })).toBe('Skandiahamnen Göteborg');
    expect(facilityOf(latin1, { charset: '"latin1"' })).toBe('Skandiahamnen Göteborg');
  });

  it('decodes 8859-1 itself, not as windows-1252 (0x80-0x9F are C1 controls and refused)', () => {
    const latin1 = Buffer.from(gothenburg('UNOC').replace('ö', '\u0080'), 'latin1');
    expect(refusal(latin1)).toMatchObject({ code: 'EDIFACT_SYNTAX', detail: expect.stringContaining('U+0080') as unknown });
  });

  it('refuses the Latin-1 bytes under UNOW as invalid UTF-8, at the byte', () => {
    const text = gothenburg('UNOW');
    const bytes = Buffer.from(text, 'latin1');
    const error = refusal(bytes);
    expect(error).toMatchObject({ code: 'EDIFACT_SYNTAX', position: bytes.indexOf(0xf6) });
    expect(error.detail).toMatch(/UTF-8/);
    // The same text as UTF-8 is what UNOW means.
    expect(facilityOf(Buffer.from(text, 'utf8'))).toBe('Skandiahamnen Göteborg');
    expect(facilityOf(Buffer.from(gothenburg('UNOY', '4'), 'utf8'))).toBe('Skandiahamnen Göteborg');
  });

  it('decodes the other ISO 8859 levels by their parts', () => {
    const cases: [string, string, string][] = [
      ['UNOD', 'iso-8859-2', 'Gdańsk Łódź'],
      ['UNOE', 'iso-8859-5', 'Санкт-Петербург'],
      ['UNOF', 'iso-8859-7', 'Πειραιάς'],
      ['UNOG', 'iso-8859-3', 'Ħamrun'],
      ['UNOH', 'iso-8859-4', 'Klaipėda'],
      ['UNOI', 'iso-8859-6', 'جدة'],
      ['UNOJ', 'iso-8859-8', 'חיפה'],
      ['UNOK', 'windows-1254', 'İzmir Ağ'],
    ];
    for (const [identifier, label, name] of cases) {
      const text = gothenburg(identifier).replace('Skandiahamnen Göteborg', name);
      const bytes = encodeSingleByte(text, label);
      expect(facilityOf(bytes), identifier).toBe(name);
    }
  });

  it('refuses under UNOA and UNOB a byte beyond 7-bit ASCII, naming it and where it is', () => {
    for (const identifier of ['UNOA', 'UNOB']) {
      const bytes = Buffer.from(gothenburg(identifier), 'latin1');
      const error = refusal(bytes);
      expect(error).toMatchObject({ code: 'EDIFACT_SYNTAX', position: bytes.indexOf(0xf6) });
      expect(error.detail).toContain('0xF6');
      // Already decoded, the character itself is named.
      const text = refusal(gothenburg(identifier));
      expect(text).toMatchObject({ code: 'EDIFACT_SYNTAX', position: gothenburg(identifier).indexOf('ö') });
      expect(text.detail).toContain('"ö" (U+00F6)');
    }
  });

  it('refuses control characters at every level', () => {
    for (const identifier of ['UNOA', 'UNOC', 'UNOW']) {
      const text = gothenburg(identifier).replace('Göteborg', 'Gote\u0007borg');
      expect(refusal(Buffer.from(text, 'latin1')), identifier).toMatchObject({ code: 'EDIFACT_SYNTAX', position: text.indexOf('\u0007') });
    }
  });

  it('refuses unknown or unsupported syntax identifiers with the list of known ones', () => {
    for (const identifier of ['UNOX', 'KECA', 'UNOZ']) {
      const error = refusal(Buffer.from(gothenburg(identifier).replace('ö', 'o'), 'latin1'));
      expect(error, identifier).toMatchObject({ code: 'EDIFACT_ENVELOPE', segment: { index: 0, tag: 'UNB' } });
      expect(error.detail).toContain('UNOC');
    }
  });

  it('refuses a Content-Type charset that contradicts the syntax identifier, or is unknown', () => {
    const latin1 = Buffer.from(gothenburg('UNOC'), 'latin1');
    expect(refusal(latin1, { charset: 'utf-8' })).toMatchObject({ code: 'EDIFACT_CHARSET', detail: expect.stringContaining('UNOC') as unknown });
    expect(refusal(latin1, { charset: 'iso-8859-2' })).toMatchObject({ code: 'EDIFACT_CHARSET' });
    expect(refusal(latin1, { charset: 'ebcdic-xyz' })).toMatchObject({ code: 'EDIFACT_CHARSET' });
    expect(refusal(gothenburg('UNOC'), { charset: 'utf-8' })).toMatchObject({ code: 'EDIFACT_CHARSET' });
    // ASCII levels agree with every supported charset.
    const ascii = gothenburg('UNOA').replace('ö', 'o');
    expect(parseInterchange(Buffer.from(ascii), {}, { charset: 'utf-8' }).messages).toHaveLength(1);
    expect(parseInterchange(Buffer.from(ascii), {}, { charset: 'ISO-8859-1' }).messages).toHaveLength(1);
  });

  it('refuses, as bytes, UNA service characters beyond ASCII (the identifier is read through them before decoding)', () => {
    const bytes = Buffer.from(`UNA§+.? '${gothenburg('UNOC').replace(/:/g, '§')}`, 'utf8');
    expect(refusal(bytes)).toMatchObject({ code: 'EDIFACT_SYNTAX', segment: { index: 0, tag: 'UNA' }, position: 3 });
  });

  it('decodes a body with no readable syntax identifier as UTF-8 and lets the envelope check name the problem', () => {
    expect(decodeInterchange(Buffer.from('UNH+1+X', 'utf8'))).toBe('UNH+1+X');
    expect(refusal(Buffer.from("UNH+1+CODECO:D:95B:UN'", 'utf8'))).toMatchObject({ code: 'EDIFACT_ENVELOPE' });
  });
});

// Single-byte encoding for the test, from the decoder's own table (Node has no 8859-x encoder).
function encodeSingleByte(text: string, label: string): Buffer {
  const decoder = new TextDecoder(label);
  const table = new Map<string, number>();
  for (let byte = 0xa0; byte <= 0xff; byte += 1) table.set(decoder.decode(Uint8Array.of(byte)), byte);
  const bytes: number[] = [];
  for (const character of text) {
    const code = character.charCodeAt(0);
    const byte = code < 0x80 ? code : table.get(character);
    if (byte === undefined) throw new Error(`${character} is not in ${label}`);
    bytes.push(byte);
  }
  return Buffer.from(bytes);
}

describe('functional groups (UNG ... UNE)', () => {
  const UNB = "UNB+UNOA:3+SENDER:ZZZ+RECIPIENT:ZZZ+261127:0640+IC0001'";
  const message = (reference: string) =>
    `UNH+${reference}+CODECO:D:95B:UN'BGM+34+D${reference}+9'LOC+165+CNSHA:139:6'EQD+CN+MSKU1234565+45G1:102:5++2+5'DTM+7:202611270640:203'UNT+6+${reference}'`;
  const group = (reference: string, messages: string[], count = messages.length, trailerRef = reference) =>
    `UNG+CODECO+SENDER:ZZZ+RECIPIENT:ZZZ+261127:0640+${reference}+UN+D:95B'${messages.join('')}UNE+${count}+${trailerRef}'`;

  it('reads an interchange of two groups; UNZ counts the groups; every message maps', () => {
    const text = `${UNB}${group('G1', [message('1'), message('2')])}${group('G2', [message('3')])}UNZ+2+IC0001'`;
    const interchange = parseInterchange(text);
    expect(interchange.groups.map((g) => [g.type, g.reference, g.messages.map((m) => m.reference)])).toEqual([
      ['CODECO', 'G1', ['1', '2']],
      ['CODECO', 'G2', ['3']],
    ]);
    expect(interchange.messages.map((m) => m.reference)).toEqual(['1', '2', '3']);
    expect(interchangeToEvents(interchange).events).toHaveLength(3);
    expect(printInterchange(interchange)).toBe(text);
  });

  it('gives event ids by what the events say, so messages that share a reference never collide and the same facts never double', () => {
    // Message references often restart in each group: ids do not depend on them.
    const gateIn = (reference: string, container: string) =>
      `UNH+${reference}+CODECO:D:95B:UN'BGM+34+D${reference}+9'LOC+165+CNSHA:139:6'EQD+CN+${container}+45G1:102:5++2+5'DTM+7:202611270640:203'UNT+6+${reference}'`;
    const grouped = parseInterchange(`${UNB}${group('G1', [gateIn('1', 'MSKU1234565')])}${group('G2', [gateIn('1', 'MSCU7654329')])}UNZ+2+IC0001'`);
    expect(new Set(interchangeToEvents(grouped).events.map((event) => event.eventId)).size).toBe(2);
    const bare = parseInterchange(`${UNB}${gateIn('1', 'MSKU1234565')}${gateIn('1', 'MSCU7654329')}UNZ+2+IC0001'`);
    expect(new Set(interchangeToEvents(bare).events.map((event) => event.eventId)).size).toBe(2);
    // The same gate-in of the same document, sent twice or in groups or not, is one event.
    const twice = parseInterchange(`${UNB}${group('G1', [message('1')])}${group('G2', [message('1')])}UNZ+2+IC0001'`);
    const single = parseInterchange(`${UNB}${message('1')}UNZ+1+IC0001'`);
    const ids = interchangeToEvents(twice).events.map((event) => event.eventId);
    expect(ids).toHaveLength(2);
    expect(new Set([...ids, interchangeToEvents(single).events[0]?.eventId]).size).toBe(1);
  });

  it('refuses a wrong UNE count or reference, and UNZ counting messages instead of groups', () => {
    const two = [message('1'), message('2')];
    expect(refusal(`${UNB}${group('G1', two, 1)}UNZ+1+IC0001'`)).toMatchObject({ code: 'EDIFACT_COUNT_MISMATCH', segment: { tag: 'UNE' } });
    expect(refusal(`${UNB}${group('G1', two, 2, 'G9')}UNZ+1+IC0001'`)).toMatchObject({ code: 'EDIFACT_REFERENCE_MISMATCH', segment: { tag: 'UNE' } });
    expect(refusal(`${UNB}${group('G1', two)}UNZ+2+IC0001'`)).toMatchObject({ code: 'EDIFACT_COUNT_MISMATCH', segment: { tag: 'UNZ' } });
  });

  it('refuses groups mixed with bare messages, in either order', () => {
    expect(refusal(`${UNB}${message('1')}${group('G1', [message('2')])}UNZ+2+IC0001'`)).toMatchObject({ code: 'EDIFACT_ENVELOPE', segment: { tag: 'UNG' } });
    expect(refusal(`${UNB}${group('G1', [message('1')])}${message('2')}UNZ+2+IC0001'`)).toMatchObject({ code: 'EDIFACT_ENVELOPE', segment: { tag: 'UNH' } });
  });

  it('refuses an unclosed, nested or stray group and one without a reference', () => {
    expect(refusal(`${UNB}UNG+CODECO+S+R+261127:0640+G1+UN+D:95B'${message('1')}UNZ+1+IC0001'`)).toMatchObject({ code: 'EDIFACT_ENVELOPE', segment: { tag: 'UNZ' } });
    expect(refusal(`${UNB}UNG+CODECO+S+R+261127:0640+G1+UN+D:95B'${group('G2', [message('1')])}UNE+1+G1'UNZ+1+IC0001'`)).toMatchObject({ code: 'EDIFACT_ENVELOPE', segment: { tag: 'UNG' } });
    expect(refusal(`${UNB}${message('1')}UNE+1+G1'UNZ+1+IC0001'`)).toMatchObject({ code: 'EDIFACT_ENVELOPE', segment: { tag: 'UNE' } });
    expect(refusal(`${UNB}UNG+CODECO+S+R+261127:0640++UN+D:95B'${message('1')}UNE+1+'UNZ+1+IC0001'`)).toMatchObject({ code: 'EDIFACT_ENVELOPE', segment: { tag: 'UNG' } });
    expect(refusal(`${UNB}UNG+CODECO+S+R+261127:0640+G1+UN+D:95B'${message('1')}`)).toMatchObject({ code: 'EDIFACT_UNTERMINATED' });
  });
});

describe('syntax version 4', () => {
  // An IFTSTA-like CODECO of version 4: CCYYMMDD in UNB, two free texts repeated in one FTX 4440 and the
  // equipment's two seals in one SEL-like repeated element.
  const body = (release = '?') => [
    'UNH+1+CODECO:D:01B:UN',
    'BGM+34+GI4+9',
    'LOC+165+CNSHA:139:6',
    `FTX+AAI+++first line*second${release}*star*third`,
    'EQD+CN+MSKU1234565+45G1:102:5++2+5',
    'DTM+7:202611270640:203',
    'UNT+7+1',
  ];
  const v4 = (una = '') => [`${una}UNB+UNOC:4+S:ZZZ+R:ZZZ+20261127:0640+V4`, ...body(), 'UNZ+1+V4'].map((line) => `${line}'`).join('');

  it('splits repeated data elements on the default repetition separator *', () => {
    const interchange = parseInterchange(v4());
    const ftx = interchange.messages[0]?.segments[3];
    expect(ftx?.elements[3]).toEqual(['first line']);
    expect(ftx?.repetitions?.[3]).toEqual([['first line'], ['second*star'], ['third']]);
    expect(interchange.serviceCharacters.repetition).toBe('*');
    expect(interchangeToEvents(interchange).events).toHaveLength(1);
    expect(printInterchange(parseInterchange(printInterchange(interchange)))).toBe(printInterchange(interchange));
    expect(printInterchange(interchange)).toContain("FTX+AAI+++first line*second?*star*third'");
    // An edit of the first occurrence in `elements` is what the printer writes.
    if (ftx !== undefined) ftx.elements[3] = ['edited'];
    expect(printInterchange(interchange)).toContain("FTX+AAI+++edited*second?*star*third'");
  });

  it('takes the repetition separator from UNA position 5', () => {
    const text = v4("UNA:+.?^'").replace(/first line\*second\?\*star\*third/, 'first line^second*star^third');
    const ftx = parseInterchange(text).messages[0]?.segments[3];
    expect(ftx?.repetitions?.[3]).toEqual([['first line'], ['second*star'], ['third']]);
  });

  it('keeps version 3 as it was: * is data, and UNA position 5 is reserved', () => {
    const v3 = v4().replace('UNOC:4', 'UNOC:3').replace('20261127', '261127');
    const ftx = parseInterchange(v3).messages[0]?.segments[3];
    expect(ftx?.elements[3]).toEqual(['first line*second*star*third']);
    expect(ftx?.repetitions).toBeUndefined();
    const withUna = parseInterchange(`UNA:+.?*'${v3}`);
    expect(withUna.serviceCharacters.repetition).toBe(' ');
    expect(withUna.messages[0]?.segments[3]?.elements[3]).toEqual(['first line*second*star*third']);
  });

  it('refuses interactive, object and security segments outside messages by name', () => {
    for (const [tag, name] of [['UIH', 'interactive message header'], ['UGH', 'anti-collision'], ['UNO', 'object header'], ['USH', 'security header']]) {
      const text = v4().replace("UNZ+1+V4'", `${tag}+1'UNZ+1+V4'`);
      const error = refusal(text);
      expect(error, tag).toMatchObject({ code: 'EDIFACT_ENVELOPE', segment: { tag } });
      expect(error.detail).toContain(name);
    }
  });

  it('maps a message whose body is wrapped in security segments, passing over USH and UST', () => {
    const secured = v4().replace("BGM+34", "USH+7+1+3+1+2+1'BGM+34").replace("UNT+7+1'", "UST+1+1'UNT+9+1'");
    const mapped = interchangeToEvents(parseInterchange(secured));
    expect(mapped).toMatchObject({ problems: [] });
    expect(mapped.events).toHaveLength(1);
  });

  it('refuses a repeated segment tag', () => {
    expect(refusal(v4().replace('BGM+34', 'BGM*X+34'))).toMatchObject({ code: 'EDIFACT_SYNTAX', segment: { tag: 'BGM*X' } });
  });
});

describe('mutated bytes', () => {
  // A small deterministic generator (mulberry32), so that a failure names a seed that reproduces it.
  function random(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let value = Math.imul(state ^ (state >>> 15), 1 | state);
      value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
      return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
    };
  }
  const interesting = [0x27, 0x2b, 0x3a, 0x3f, 0x2a, 0x0a, 0x0d, 0x00, 0x80, 0x9f, 0xc3, 0xb6, 0xef, 0xbb, 0xbf, 0xf6, 0xff, 0x55, 0x4e, 0x47, 0x45];
  const seeds = [
    Buffer.from(gothenburg('UNOC'), 'latin1'),
    Buffer.from(gothenburg('UNOW'), 'utf8'),
    Buffer.from(`\uFEFFUNA:+.?*'${gothenburg('UNOY', '4').replace('20261127', '20261127')}`, 'utf8'),
    Buffer.from(
      "UNB+UNOA:3+S+R+261127:0640+I'UNG+CODECO+S+R+261127:0640+G1+UN+D:95B'UNH+1+CODECO:D:95B:UN'BGM+34+D+9'UNT+3+1'UNE+1+G1'UNZ+1+I'",
      'latin1',
    ),
  ];

  it('are read or refused with an EdifactError, never anything else (4000 cases)', () => {
    for (let seed = 1; seed <= 1000; seed += 1) {
      const next = random(seed);
      for (const original of seeds) {
        const bytes = Buffer.from(original);
        let mutated: Buffer = bytes;
        for (let edit = 0; edit < 1 + Math.floor(next() * 3); edit += 1) {
          const at = Math.floor(next() * mutated.length);
          const byte = interesting[Math.floor(next() * interesting.length)] ?? 0;
          const kind = next();
          if (kind < 0.4) mutated[at] = byte;
          else if (kind < 0.7) mutated = Buffer.concat([mutated.subarray(0, at), Buffer.of(byte), mutated.subarray(at)]);
          else mutated = Buffer.concat([mutated.subarray(0, at), mutated.subarray(at + 1)]);
        }
        const charset = next() < 0.2 ? (['utf-8', 'iso-8859-1', 'x-bogus'] as const)[Math.floor(next() * 3)] : undefined;
        try {
          const interchange = parseInterchange(mutated, {}, charset === undefined ? {} : { charset });
          interchangeToEvents(interchange);
        } catch (error) {
          if (!(error instanceof EdifactError)) throw new Error(`seed ${seed}: ${String(error)}`, { cause: error });
          expect(Number.isInteger(error.position) && error.position >= 0, `seed ${seed}`).toBe(true);
        }
      }
    }
  });
});
