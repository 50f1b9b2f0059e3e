import { describe, expect, it } from 'vitest';
import { interchangeText } from './samples.fixture.js';
import { parseInterchange } from './tokenizer.js';
import { interchangeToEvents, type MappedEvents } from './tracking.js';

/** A discharge report from Yangshan for two containers, as an SMDG 2.x terminal sends it; BGM varies. */
function dischargeReport(controlRef: string, bgm: string, reference = '1'): string {
  return interchangeText(controlRef, [{
    reference,
    type: 'COARRI:D:00B:UN:SMDG20',
    body: [
      bgm,
      'DTM+137:202611271200:203',
      'TDT+20+012E+1++MSC:172:20+++9321483:146::MSC ANNA',
      'LOC+11+CNSHA:139:6+YS4:TER:ZZZ:Yangshan Phase IV',
      'EQD+CN+HLXU4001239+22G1:102:5++2+5',
      'LOC+9+DEHAM:139:6',
      'DTM+203:202611270640:203',
      'EQD+CN+CSNU6100028+45G1:102:5++2+5',
      'LOC+9+NLRTM:139:6',
      'DTM+203:202611270655:203',
      'CNT+16:2',
    ],
  }]);
}

const map = (text: string): MappedEvents => interchangeToEvents(parseInterchange(text));
const ids = (mapped: MappedEvents): string[] => mapped.events.map((event) => event.eventId);
const messages = (mapped: MappedEvents): string[] => mapped.problems.map((problem) => `${problem.segment.tag}: ${problem.message}`);

describe('BGM message function (1225) and document number (1004)', () => {
  it.each([
    ['9 original', '9', 'original'],
    ['2 addition', '2', 'original'],
    ['6 confirmation', '6', 'original'],
    ['7 duplicate', '7', 'original'],
    ['31 copy', '31', 'original'],
    ['35 retransmission', '35', 'original'],
    ['43 additional transmission', '43', 'original'],
    ['46 provisional', '46', 'original'],
    ['4 change', '4', 'replacement'],
    ['5 replace', '5', 'replacement'],
    ['18 reissue', '18', 'replacement'],
    ['47 definitive', '47', 'replacement'],
    ['1 cancellation', '1', 'cancellation'],
    ['3 deletion', '3', 'cancellation'],
    ['17 cancel, to be reissued', '17', 'cancellation'],
  ])('puts %s on every event as the document function', (_case, code, documentFunction) => {
    const mapped = map(dischargeReport('DF1', `BGM+98+DIS012E+${code}`));
    expect(mapped.problems).toEqual([]);
    expect(mapped.events.map((event) => [event.references.container, event.code, event.document])).toEqual([
      ['HLXU4001239', 'DISC', { id: 'DIS012E', function: documentFunction }],
      ['CSNU6100028', 'DISC', { id: 'DIS012E', function: documentFunction }],
    ]);
  });

  it('takes a message without 1225 as an original, and reads the D.00B document identification (C106)', () => {
    const mapped = map(dischargeReport('DF2', 'BGM+98+DIS012E:1:0'));
    expect(mapped.problems).toEqual([]);
    expect(mapped.events.map((event) => event.document)).toEqual([{ id: 'DIS012E', function: 'original' }, { id: 'DIS012E', function: 'original' }]);
  });

  it('keeps the events of a function it does not map as an original, and says so at the BGM', () => {
    const mapped = map(dischargeReport('DF3', 'BGM+98+DIS012E+8'));
    expect(mapped.events.map((event) => event.document?.function)).toEqual(['original', 'original']);
    expect(messages(mapped)).toEqual(['BGM: BGM message function 8 is not one Kouan maps (docs/tracking.md); the events are kept as an original']);
  });

  it('stores nothing of a test message (53), saying why', () => {
    const mapped = map(dischargeReport('DF4', 'BGM+98+DIS012E+53'));
    expect(mapped.events).toEqual([]);
    expect(messages(mapped)).toEqual(['BGM: BGM message function 53 (test): the message is a test and its events are not stored']);
  });

  it('maps a document number that is no document id without a document, and a replacement without one as an original', () => {
    // Some terminal systems write the report's title where the number goes.
    const titled = map(dischargeReport('DF5', 'BGM+98+Discharge/Loading report+9'));
    expect(titled.events.map((event) => event.document)).toEqual([undefined, undefined]);
    expect(messages(titled)).toEqual(['BGM: BGM document number "Discharge/Loading report" is not a document id (printable characters without spaces, at most 70); the events carry no document']);
    const replacement = map(dischargeReport('DF6', 'BGM+98++5'));
    expect(replacement.events).toHaveLength(2);
    expect(replacement.events.map((event) => event.document)).toEqual([undefined, undefined]);
    expect(messages(replacement)).toEqual(['BGM: The replacement names no document number (BGM 1004), so it replaces nothing; the events are kept as an original']);
  });

  it('stores nothing of a cancellation that names no document, nor of one that names no event, and says so', () => {
    const anonymous = map(dischargeReport('DF7', 'BGM+98++1'));
    expect(anonymous.events).toEqual([]);
    expect(messages(anonymous)).toEqual(['BGM: The cancellation names no document number (BGM 1004), so nothing can be retracted; its events are not stored']);
    const empty = map(interchangeText('DF8', [{
      reference: '1',
      type: 'COARRI:D:00B:UN:SMDG20',
      body: ['BGM+98+DIS012E+1', 'TDT+20+012E+1++MSC:172:20+++9321483:146::MSC ANNA', 'LOC+11+CNSHA:139:6', 'CNT+16:0'],
    }]));
    expect(empty.events).toEqual([]);
    expect(messages(empty)).toEqual(['BGM: The cancellation of document DIS012E maps to no event, so it retracts nothing']);
  });

  it('reads the document on CODECO and IFTSTA too', () => {
    const gate = map(interchangeText('DF9', [{
      reference: 'G1',
      type: 'CODECO:D:95B:UN:ITG13',
      body: ['BGM+36+GO20261127+5', 'LOC+165+CNSHA:139:6', 'EQD+CN+OOLU5550012+22G1:102:5++3+5', 'DTM+7:202611271130:203', 'CNT+16:1'],
    }]));
    expect(gate.events.map((event) => [event.code, event.document])).toEqual([['GTOT', { id: 'GO20261127', function: 'replacement' }]]);
    const status = map(interchangeText('DF10', [{
      reference: 'S1',
      type: 'IFTSTA:D:99B:UN',
      body: ['BGM+23+ST20261127+1', 'CNI+1+MEDUDE123456', 'STS+1+AE', 'DTM+7:202611271430:203', 'LOC+175+CNSHA:139:6', 'EQD+CN+MSKU1234565'],
    }]));
    expect(status.events.map((event) => [event.code, event.document])).toEqual([['LOAD', { id: 'ST20261127', function: 'cancellation' }]]);
  });
});

describe('event ids across originals, duplicates, replacements and cancellations', () => {
  const original = map(dischargeReport('ID0001', 'BGM+98+DIS012E+9'));

  it('gives a duplicate, a copy or an additional transmission in a new interchange the ids of the original', () => {
    for (const code of ['7', '31', '43']) expect(ids(map(dischargeReport(`ID1${code}`, `BGM+98+DIS012E+${code}`)))).toEqual(ids(original));
  });

  it('gives a replacement and a cancellation that repeat the original word for word ids of their own', () => {
    const replacement = ids(map(dischargeReport('ID0002', 'BGM+98+DIS012E+5')));
    const cancellation = ids(map(dischargeReport('ID0003', 'BGM+98+DIS012E+1')));
    expect(new Set([...ids(original), ...replacement, ...cancellation]).size).toBe(6);
  });

  it('gives the same replacement interchange sent again the same ids, and a second replacement other ids', () => {
    const first = ids(map(dischargeReport('ID0004', 'BGM+98+DIS012E+5')));
    expect(ids(map(dischargeReport('ID0004', 'BGM+98+DIS012E+5')))).toEqual(first);
    const second = ids(map(dischargeReport('ID0005', 'BGM+98+DIS012E+5')));
    expect(second.filter((id) => first.includes(id))).toEqual([]);
    // Two replacements in one interchange, told apart by their message references.
    const both = map(interchangeText('ID0006', [
      { reference: 'R1', type: 'COARRI:D:00B:UN', body: ['BGM+98+DIS012E+5', 'LOC+11+CNSHA:139:6', 'EQD+CN+HLXU4001239', 'DTM+203:202611270640:203'] },
      { reference: 'R2', type: 'COARRI:D:00B:UN', body: ['BGM+98+DIS012E+5', 'LOC+11+CNSHA:139:6', 'EQD+CN+HLXU4001239', 'DTM+203:202611270640:203'] },
    ]));
    expect(new Set(ids(both)).size).toBe(2);
  });

  it('gives the same facts in two documents two ids, so that cancelling one leaves the other', () => {
    const other = ids(map(dischargeReport('ID0007', 'BGM+98+DIS012F+9')));
    expect(other.filter((id) => ids(original).includes(id))).toEqual([]);
  });
});

describe('COARRI and CODECO document name codes (BGM C002 1001)', () => {
  const coarri = (bgm: string) => map(interchangeText('DC1', [{
    reference: '1',
    type: 'COARRI:D:95B:UN:ITG12',
    body: [bgm, 'LOC+11+CNSHA:139:6', 'EQD+CN+HLXU4001239+22G1:102:5++2+5', 'LOC+9+DEHAM:139:6', 'LOC+11+CNSHA:139:6', 'DTM+203:202611270640:203', 'CNT+16:1'],
  }]));

  it.each([
    ['44 (SMDG 1.x discharge report)', 'BGM+44+R1+9', 'DISC'],
    ['98 (SMDG 2.x discharge report)', 'BGM+98+R1+9', 'DISC'],
    ['119 (D.00B discharge report)', 'BGM+119+R1+9', 'DISC'],
    ['46 (SMDG 1.x loading report)', 'BGM+46+R1+9', 'LOAD'],
    ['270 (SMDG 2.x loading report)', 'BGM+270+R1+9', 'LOAD'],
    ['122 (D.00B loading report)', 'BGM+122+R1+9', 'LOAD'],
    ['98 with agency 6 (UN/ECE)', 'BGM+98::6+R1+9', 'DISC'],
    ['270 with agency 306 (SMDG)', 'BGM+270::306+R1+9', 'LOAD'],
  ])('maps COARRI %s for the whole message, whatever the equipment LOCs say', (_case, bgm, code) => {
    const mapped = coarri(bgm);
    expect(mapped.problems).toEqual([]);
    expect(mapped.events.map((event) => event.code)).toEqual([code]);
  });

  it.each([
    ['121 (a restow report)', 'BGM+121+R1+9', 'BGM document name 121 is not a COARRI document Kouan maps (44, 98 or 119 (discharge), 46, 270 or 122 (loading)), so its equipment maps to no event'],
    ['a code of the sender\'s own list', 'BGM+98::ZZZ+R1+9', 'BGM document name 98 is from the code list of agency ZZZ, not the UN/SMDG list, so its equipment maps to no event'],
    ['no code', 'BGM++R1+9', 'BGM gives no document name code; a COARRI is mapped by 44, 98 or 119 (discharge), 46, 270 or 122 (loading), so its equipment maps to no event'],
  ])('reports COARRI %s at the BGM and maps no event, though LOC+11 names the reporting port', (_case, bgm, message) => {
    const mapped = coarri(bgm);
    expect(mapped.events).toEqual([]);
    expect(messages(mapped)).toEqual([`BGM: ${message}`]);
  });

  it('maps CODECO 34 and 36, and reports 36 under another agency', () => {
    const codeco = (bgm: string) => map(interchangeText('DC2', [{
      reference: '1',
      type: 'CODECO:D:95B:UN:ITG13',
      body: [bgm, 'LOC+165+CNSHA:139:6', 'EQD+CN+OOLU5550012+22G1:102:5++3+5', 'DTM+7:202611271130:203', 'CNT+16:1'],
    }]));
    expect(codeco('BGM+34+G1+9').events.map((event) => event.code)).toEqual(['GTIN']);
    expect(codeco('BGM+36+G1+9').events.map((event) => event.code)).toEqual(['GTOT']);
    const foreign = codeco('BGM+36:ZZZ:ZZZ+G1+9');
    expect(foreign.events).toEqual([]);
    expect(messages(foreign)).toEqual(['BGM: BGM document name 36 is from the code list of agency ZZZ, not the UN/SMDG list, so its equipment maps to no event']);
  });

  it('reports a CODECO without BGM at its UNH', () => {
    const text = interchangeText('DC3', [{ reference: '1', type: 'CODECO:D:95B:UN', body: ['LOC+165+CNSHA:139:6', 'EQD+CN+OOLU5550012', 'DTM+7:202611271130:203'] }]);
    const mapped = map(text);
    expect(mapped.events).toEqual([]);
    expect(mapped.problems.map((problem) => problem.segment.tag)).toEqual(['UNH']);
  });
});
