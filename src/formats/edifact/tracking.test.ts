import { describe, expect, it } from 'vitest';
import { isValidContainerNumber, isValidImoNumber } from '../../modules/codes/index.js';
import { CODECO_GATE_IN, COARRI_REPORTS, IFTSTA_STATUS, interchangeText } from './samples.fixture.js';
import { parseInterchange } from './tokenizer.js';
import type { TrackingEventInput } from './tracking.js';
import { KNOWN_TIME_ZONES, timeZoneOfLocation } from './time-zones.js';
import { interchangeToEvents, parseDateTime } from './tracking.js';

function summary(events: TrackingEventInput[]): unknown[] {
  return events.map(({ eventId: _eventId, ...rest }) => rest);
}

const YANGSHAN = { location: 'CNSHA', facility: 'Yangshan Phase IV' };
const MSC_ANNA = { vesselImo: '9321483', vesselName: 'MSC ANNA', voyage: '012E' };
const original = (id: string) => ({ document: { id, function: 'original' } });

describe('sample data', () => {
  it('uses container numbers with valid check digits, but for the one meant to fail', () => {
    const containers = [CODECO_GATE_IN, COARRI_REPORTS, IFTSTA_STATUS].flatMap((text) => [...text.matchAll(/EQD\+CN\+(\w+)/g)].map((match) => match[1] ?? ''));
    expect(containers.length).toBeGreaterThanOrEqual(12);
    expect(containers.filter((container) => !isValidContainerNumber(container))).toEqual(['MEDU7778880']);
    expect(['9321483', '9454450'].every(isValidImoNumber)).toBe(true);
  });
});

describe('interchangeToEvents: CODECO', () => {
  const mapped = interchangeToEvents(parseInterchange(CODECO_GATE_IN));

  it('maps a gate-in report (BGM 34) to GTIN and a gate-out report (BGM 36) to GTOT', () => {
    expect(mapped.problems).toEqual([]);
    expect(summary(mapped.events)).toEqual([
      { eventType: 'EQUIPMENT', code: 'GTIN', classifier: 'ACT', eventTime: '2026-11-26T22:40:00Z', timeZoneAssumed: 'Asia/Shanghai', ...YANGSHAN, ...original('GI20261127'), references: { container: 'MSKU1234565', billOfLading: 'MEDUDE123456', ...MSC_ANNA } },
      { eventType: 'EQUIPMENT', code: 'GTIN', classifier: 'ACT', eventTime: '2026-11-26T23:12:00Z', timeZoneAssumed: 'Asia/Shanghai', ...YANGSHAN, ...original('GI20261127'), references: { container: 'MSCU7654329', billOfLading: 'MEDUDE123457', ...MSC_ANNA } },
      // The truck's TDT (stage 1, road) in the equipment group is not taken for the vessel.
      { eventType: 'EQUIPMENT', code: 'GTIN', classifier: 'ACT', eventTime: '2026-11-27T00:15:30Z', timeZoneAssumed: 'Asia/Shanghai', ...YANGSHAN, ...original('GI20261127'), references: { container: 'CMAU3000014', ...MSC_ANNA } },
      // Format 205 carries +0800 (its + released as ?+): 16:05 local is 08:05 UTC, no zone assumed. The zoneless
      // times around it are Shanghai local time (UTC+8).
      { eventType: 'EQUIPMENT', code: 'GTIN', classifier: 'ACT', eventTime: '2026-11-27T08:05:00Z', ...YANGSHAN, ...original('GI20261127'), references: { container: 'TGHU8812348', billOfLading: 'MEDUDE123458', ...MSC_ANNA } },
      { eventType: 'EQUIPMENT', code: 'GTOT', classifier: 'ACT', eventTime: '2026-11-27T03:30:00Z', timeZoneAssumed: 'Asia/Shanghai', ...YANGSHAN, ...original('GO20261127'), references: { container: 'OOLU5550012', billOfLading: 'OOLU2026001' } },
    ]);
  });

  it('gives deterministic, distinct event ids, so a re-sent interchange is idempotent', () => {
    const again = interchangeToEvents(parseInterchange(CODECO_GATE_IN.replaceAll('\n', '')));
    expect(again.events.map((event) => event.eventId)).toEqual(mapped.events.map((event) => event.eventId));
    expect(new Set(mapped.events.map((event) => event.eventId)).size).toBe(mapped.events.length);
    expect(mapped.events[0]?.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    // The same original facts in a new interchange (a retransmission under a new control reference) are the
    // same events; another sender's, or another time, are not.
    const retransmitted = interchangeToEvents(parseInterchange(CODECO_GATE_IN.replaceAll('CO0001', 'CO0002')));
    expect(retransmitted.events.map((event) => event.eventId)).toEqual(mapped.events.map((event) => event.eventId));
    const otherSender = interchangeToEvents(parseInterchange(CODECO_GATE_IN.replace('TERMINALCN:ZZZ', 'TERMINALNB:ZZZ')));
    expect(otherSender.events[0]?.eventId).not.toBe(mapped.events[0]?.eventId);
    const later = interchangeToEvents(parseInterchange(CODECO_GATE_IN.replace('DTM+7:202611270640:203', 'DTM+7:202611270641:203')));
    expect(later.events[0]?.eventId).not.toBe(mapped.events[0]?.eventId);
    expect(later.events[1]?.eventId).toBe(mapped.events[1]?.eventId);
  });

  it('derives ids from every field a mapped event carries (a field the id leaves out would let two events share it)', () => {
    const events = [CODECO_GATE_IN, COARRI_REPORTS, IFTSTA_STATUS].flatMap((text) => interchangeToEvents(parseInterchange(text)).events);
    const fields = new Set(events.flatMap((event) => [...Object.keys(event), ...Object.keys(event.references).map((key) => `references.${key}`), ...Object.keys(event.document ?? {}).map((key) => `document.${key}`)]));
    // The fields tracking.ts hashes (contentKey); add a new one there and here.
    const hashed = ['eventId', 'eventType', 'code', 'classifier', 'eventTime', 'timeZoneAssumed', 'location', 'facility', 'agency', 'references', 'document', 'document.id', 'document.function',
      ...['container', 'billOfLading', 'vesselImo', 'vesselCallSign', 'vesselName', 'voyage', 'submission', 'bookingReference'].map((key) => `references.${key}`)];
    expect([...fields].filter((field) => !hashed.includes(field))).toEqual([]);
    const moved = interchangeToEvents(parseInterchange(CODECO_GATE_IN.replace('YS4:TER:ZZZ:Yangshan Phase IV', 'YS3:TER:ZZZ:Yangshan Phase III')));
    expect(moved.events[0]?.eventId).not.toBe(mapped.events[0]?.eventId);
  });

  it('reports a document name code it does not map at the BGM, and does not guess the direction from the equipment', () => {
    const text = interchangeText('CO0003', [{
      reference: 'X1',
      type: 'CODECO:D:95B:UN',
      body: [
        'BGM+35+GATE+9',
        'LOC+165+NLRTM:139:6+ECTDDE:TER:ZZZ',
        'EQD+CN+TRLU1357915', 'DTM+178:202611270640:203',
        'EQD+CN+SEGU2468108', 'DTM+186:202611270700:203',
        'CNT+16:2',
      ],
    }]);
    const interchange = parseInterchange(text);
    const result = interchangeToEvents(interchange);
    expect(result.events).toEqual([]);
    const bgm = interchange.messages[0]?.segments[1];
    expect(result.problems).toEqual([{
      segment: { index: bgm?.index, tag: 'BGM' },
      position: bgm?.position,
      message: 'BGM document name 35 is not a CODECO document Kouan maps (34 (gate in) or 36 (gate out)), so its equipment maps to no event',
    }]);
  });
});

describe('interchangeToEvents: COARRI', () => {
  const interchange = parseInterchange(COARRI_REPORTS);
  const mapped = interchangeToEvents(interchange);

  it('maps discharge reports (BGM 44, 98) to DISC and a loading report (BGM 270) to LOAD', () => {
    expect(summary(mapped.events)).toEqual([
      { eventType: 'EQUIPMENT', code: 'DISC', classifier: 'ACT', eventTime: '2026-11-26T22:40:00Z', timeZoneAssumed: 'Asia/Shanghai', ...YANGSHAN, ...original('DIS012E'), references: { container: 'HLXU4001239', billOfLading: 'HLCUHAM000001', ...MSC_ANNA } },
      { eventType: 'EQUIPMENT', code: 'DISC', classifier: 'ACT', eventTime: '2026-11-26T22:55:00Z', timeZoneAssumed: 'Asia/Shanghai', ...YANGSHAN, ...original('DIS012E'), references: { container: 'CSNU6100028', billOfLading: 'HLCURTM000002', ...MSC_ANNA } },
      // No DTM of its own: the header's actual arrival (178) stands in.
      { eventType: 'EQUIPMENT', code: 'DISC', classifier: 'ACT', eventTime: '2026-11-26T21:00:00Z', timeZoneAssumed: 'Asia/Shanghai', ...YANGSHAN, ...original('DIS012E'), references: { container: 'TCLU1122336', ...MSC_ANNA } },
      { eventType: 'EQUIPMENT', code: 'LOAD', classifier: 'ACT', eventTime: '2026-11-27T10:20:00Z', timeZoneAssumed: 'Asia/Shanghai', ...YANGSHAN, ...original('LOD012E'), references: { container: 'APZU9090909', ...MSC_ANNA } },
      { eventType: 'EQUIPMENT', code: 'DISC', classifier: 'ACT', eventTime: '2026-11-27T02:00:00Z', timeZoneAssumed: 'Asia/Shanghai', ...YANGSHAN, ...original('DIS012E-2'), references: { container: 'FCIU3030307', ...MSC_ANNA } },
    ]);
  });

  it('refuses a container number whose check digit is wrong, naming its EQD', () => {
    const bad = interchange.messages[0]?.segments.find((segment) => segment.elements[1]?.[0] === 'MEDU7778880');
    expect(bad).toBeDefined();
    expect(mapped.problems).toEqual([{
      segment: { index: bad?.index, tag: 'EQD' },
      position: bad?.position,
      message: '"MEDU7778880" is not an ISO 6346 container number with a valid check digit',
    }]);
  });
});

describe('interchangeToEvents: IFTSTA', () => {
  const interchange = parseInterchange(IFTSTA_STATUS);
  const mapped = interchangeToEvents(interchange);
  const MSC_BELLA = { vesselImo: '9454450', vesselName: 'MSC BELLA', voyage: '013W' };

  it('maps STS codes to transport, equipment and clearance events, one per container', () => {
    expect(summary(mapped.events)).toEqual([
      { eventType: 'TRANSPORT', code: 'ARRI', classifier: 'EST', eventTime: '2026-12-01T05:00:00Z', timeZoneAssumed: 'Europe/Amsterdam', location: 'NLRTM', ...original('ST20261127'), references: { container: 'SEGU2468108', billOfLading: 'MEDUDE123456', ...MSC_BELLA } },
      { eventType: 'TRANSPORT', code: 'ARRI', classifier: 'EST', eventTime: '2026-12-01T05:00:00Z', timeZoneAssumed: 'Europe/Amsterdam', location: 'NLRTM', ...original('ST20261127'), references: { container: 'TRLU1357915', billOfLading: 'MEDUDE123456', ...MSC_BELLA } },
      { eventType: 'EQUIPMENT', code: 'DISC', classifier: 'ACT', eventTime: '2026-12-01T13:15:00Z', timeZoneAssumed: 'Europe/Amsterdam', location: 'NLRTM', facility: 'ECT Delta', ...original('ST20261127'), references: { container: 'SEGU2468108', billOfLading: 'MEDUDE123456', ...MSC_BELLA } },
      { eventType: 'CLEARANCE', code: 'RELS', classifier: 'ACT', eventTime: '2026-12-02T08:30:00Z', timeZoneAssumed: 'Europe/Amsterdam', location: 'NLRTM', ...original('ST20261127'), references: { billOfLading: 'MEDUDE123456' } },
      { eventType: 'EQUIPMENT', code: 'GTIN', classifier: 'ACT', eventTime: '2026-11-26T07:30:00Z', timeZoneAssumed: 'Asia/Shanghai', location: 'CNSHA', ...original('ST20261127'), references: { container: 'CAIU2020203', billOfLading: 'MEDUDE999001' } },
      { eventType: 'EQUIPMENT', code: 'GTIN', classifier: 'ACT', eventTime: '2026-11-26T07:30:00Z', timeZoneAssumed: 'Asia/Shanghai', location: 'CNSHA', ...original('ST20261127'), references: { container: 'GESU4040407', billOfLading: 'MEDUDE999001' } },
      { eventType: 'CLEARANCE', code: 'HOLD', classifier: 'ACT', eventTime: '2026-11-27T02:00:00Z', timeZoneAssumed: 'Asia/Shanghai', location: 'CNSHA', ...original('ST20261127'), references: { container: 'GESU4040407', billOfLading: 'MEDUDE999001' } },
    ]);
  });

  it('reports an unknown status code at its STS and maps the rest', () => {
    const sts = interchange.messages[0]?.segments.find((segment) => segment.tag === 'STS' && segment.elements[1]?.[0] === 'ZZ');
    expect(mapped.problems).toEqual([{ segment: { index: sts?.index, tag: 'STS' }, position: sts?.position, message: 'Status code "ZZ" is not mapped to a tracking event' }]);
  });

  it('gives the same container in two status groups two different ids', () => {
    const ids = mapped.events.filter((event) => event.references.container === 'SEGU2468108').map((event) => event.eventId);
    expect(ids).toHaveLength(2);
    expect(ids[0]).not.toBe(ids[1]);
  });
});

describe('interchangeToEvents: problems', () => {
  it('reports a missing time and a missing location per event, and maps an event whose vessel id is no IMO number', () => {
    const text = interchangeText('PR1', [{
      reference: 'P1',
      type: 'IFTSTA:D:99B:UN',
      body: [
        'STS+1+AE', 'LOC+175+CNSHA:139:6', 'EQD+CN+TRLU1357915',
        'STS+1+AE', 'DTM+7:202611271000:203', 'EQD+CN+TRLU1357915',
        'STS+1+AE', 'DTM+7:202611271000:203', 'LOC+175+CNSHA:139:6', 'TDT+20+1E+1+++++9321484:146', 'EQD+CN+TRLU1357915',
        'STS+1+AE', 'DTM+7:202611271399:203', 'LOC+175+CNSHA:139:6', 'EQD+CN+TRLU1357915',
      ],
    }]);
    const result = interchangeToEvents(parseInterchange(text));
    // 9321484 under list 146 fails the IMO check digit: the ship is not named by IMO, but the event stands.
    expect(summary(result.events)).toEqual([
      { eventType: 'EQUIPMENT', code: 'LOAD', classifier: 'ACT', eventTime: '2026-11-27T02:00:00Z', timeZoneAssumed: 'Asia/Shanghai', location: 'CNSHA', references: { container: 'TRLU1357915' } },
    ]);
    expect(result.problems.map((problem) => [problem.segment.tag, problem.message])).toEqual([
      ['EQD', 'No DTM gives the event time (qualifier 7, 132, 133, 178, 186, 203 or 334)'],
      ['EQD', 'No LOC gives the event location as a UN/LOCODE'],
      ['EQD', 'DTM 7 "202611271399" is not a date/time in format 203 (101, 102, 201-205 or 301-304 are read)'],
    ]);
  });

  it('reports a message type it does not map at its UNH', () => {
    const text = interchangeText('PR2', [{ reference: 'B1', type: 'BAPLIE:D:95B:UN', body: ['BGM++B1+9'] }]);
    const result = interchangeToEvents(parseInterchange(text));
    expect(result.problems).toEqual([{ segment: { index: 1, tag: 'UNH' }, position: text.indexOf('UNH'), message: 'BAPLIE messages are not mapped to tracking events' }]);
  });
});

describe('interchangeToEvents: vessels however they are named', () => {
  function vesselReferences(tdt: string): { events: unknown[]; problems: unknown[] } {
    const text = interchangeText('VS1', [{
      reference: 'V1',
      type: 'IFTSTA:D:99B:UN',
      body: ['STS+1+AE', 'DTM+7:202611271000:203', 'LOC+175+CNSHA:139:6', tdt, 'EQD+CN+TRLU1357915'],
    }]);
    const result = interchangeToEvents(parseInterchange(text));
    return { events: result.events.map((event) => event.references), problems: result.problems };
  }

  it.each([
    ['a call sign (list 103) with a name', 'TDT+20+012E+1++MSC:172:20+++9V2345:103::MSC ANNA', { vesselCallSign: '9V2345', vesselName: 'MSC ANNA', voyage: '012E' }],
    ['a call sign without a list or name is not guessed', 'TDT+20+012E+1+++++9V2345', {}],
    ['list 146 with a value that is no IMO number (bad check digit)', 'TDT+20+012E+1+++++9321484:146:11:MSC ANNA', { vesselName: 'MSC ANNA', voyage: '012E' }],
    ['list 146 with a Lloyd\'s-like number of another length', 'TDT+20+012E+1+++++LR123456:146', {}],
    ['only the name', 'TDT+20+012E+1+++++:::MSC  ANNA ', { vesselName: 'MSC ANNA', voyage: '012E' }],
    ['IMO written with its prefix', 'TDT+20+012E+1+++++IMO9321483:146', { vesselImo: '9321483', voyage: '012E' }],
    ['an IMO number under list 103 is still an IMO number', 'TDT+20+012E+1+++++9321483:103', { vesselImo: '9321483', voyage: '012E' }],
    ['an IMO number, a list 11 and a name', 'TDT+20+012E+1+++++9321483:IMO:11:MSC ANNA:PA', { vesselImo: '9321483', vesselName: 'MSC ANNA', voyage: '012E' }],
    ['a name too long for the schema is passed over', `TDT+20+012E+1+++++9V2345:103::${'X'.repeat(71)}`, { vesselCallSign: '9V2345', voyage: '012E' }],
    ['a call sign of characters no call sign has is passed over', 'TDT+20+012E+1+++++9V 23/45:103::MSC ANNA', { vesselName: 'MSC ANNA', voyage: '012E' }],
  ])('keeps the event with %s', (_case, tdt, vessel) => {
    const result = vesselReferences(tdt);
    expect(result.problems).toEqual([]);
    expect(result.events).toEqual([{ container: 'TRLU1357915', ...vessel }]);
  });
});

describe('interchangeToEvents: every common DTM format, zoneless times in the time zone of the location', () => {
  function timeAt(dtm: string, locode: string): { eventTime: string | undefined; timeZoneAssumed: string | undefined; problems: string[] } {
    const text = interchangeText('TZ1', [{
      reference: 'T1',
      type: 'IFTSTA:D:99B:UN',
      body: ['STS+1+AE', dtm, `LOC+175+${locode}:139:6`, 'EQD+CN+TRLU1357915'],
    }]);
    const result = interchangeToEvents(parseInterchange(text));
    const event = result.events[0];
    return { eventTime: event?.eventTime, timeZoneAssumed: event?.timeZoneAssumed, problems: result.problems.map((problem) => problem.message) };
  }

  it.each([
    ['101 YYMMDD, the start of the local day', 'DTM+7:261127:101', 'CNSHA', '2026-11-26T16:00:00Z', 'Asia/Shanghai'],
    ['102 CCYYMMDD', 'DTM+7:20261127:102', 'CNSHA', '2026-11-26T16:00:00Z', 'Asia/Shanghai'],
    ['201 YYMMDDHHMM', 'DTM+7:2611271430:201', 'CNSHA', '2026-11-27T06:30:00Z', 'Asia/Shanghai'],
    ['202 YYMMDDHHMMSS', 'DTM+7:261127143015:202', 'SGSIN', '2026-11-27T06:30:15Z', 'Asia/Singapore'],
    ['203 CCYYMMDDHHMM', 'DTM+7:202611271430:203', 'CNSHA', '2026-11-27T06:30:00Z', 'Asia/Shanghai'],
    ['204 CCYYMMDDHHMMSS', 'DTM+7:20261127143015:204', 'CNNGB', '2026-11-27T06:30:15Z', 'Asia/Shanghai'],
    ['203 in German winter time', 'DTM+7:202611271430:203', 'DEHAM', '2026-11-27T13:30:00Z', 'Europe/Berlin'],
    ['203 in Dutch summer time', 'DTM+7:202607011430:203', 'NLRTM', '2026-07-01T12:30:00Z', 'Europe/Amsterdam'],
    ['203 in a US port of the table', 'DTM+7:202611271430:203', 'USLAX', '2026-11-27T22:30:00Z', 'America/Los_Angeles'],
    ['203 in a US place not in the table: UTC, flagged', 'DTM+7:202611271430:203', 'USXYZ', '2026-11-27T14:30:00Z', 'UTC'],
    ['a wall time twice on the night DST ends: its first occurrence', 'DTM+7:202610250230:203', 'DEHAM', '2026-10-25T00:30:00Z', 'Europe/Berlin'],
    ['a wall time DST skips: read with the offset before', 'DTM+7:202603290230:203', 'DEHAM', '2026-03-29T01:30:00Z', 'Europe/Berlin'],
    ['203 without a format code', 'DTM+7:202611271430', 'CNSHA', '2026-11-27T06:30:00Z', 'Asia/Shanghai'],
  ])('reads %s', (_case, dtm, locode, eventTime, timeZoneAssumed) => {
    expect(timeAt(dtm, locode)).toEqual({ eventTime, timeZoneAssumed, problems: [] });
  });

  it.each([
    ['205 with its offset', 'DTM+7:202611271430?+0800:205', '2026-11-27T06:30:00Z'],
    ['205 west of Greenwich', 'DTM+7:202611270130-0500:205', '2026-11-27T06:30:00Z'],
    ['303 with UTC', 'DTM+7:202611271430UTC:303', '2026-11-27T14:30:00Z'],
    ['303 with GMT', 'DTM+7:202611271430GMT:303', '2026-11-27T14:30:00Z'],
    ['303 with an hour offset', 'DTM+7:202611271430?+08:303', '2026-11-27T06:30:00Z'],
    ['304 with seconds', 'DTM+7:20261127143015-03:304', '2026-11-27T17:30:15Z'],
    ['301 with a two-digit year', 'DTM+7:2611271430UTC:301', '2026-11-27T14:30:00Z'],
  ])('reads %s as sent, assuming no zone', (_case, dtm, eventTime) => {
    expect(timeAt(dtm, 'DEHAM')).toEqual({ eventTime, timeZoneAssumed: undefined, problems: [] });
  });

  it.each([
    ['a 303 zone it does not know', 'DTM+7:202611271430CET:303'],
    ['a 205 offset beyond 14 hours', 'DTM+7:202611271430?+1500:205'],
    ['a 101 date that does not exist', 'DTM+7:260230:101'],
    ['a 201 with the wrong length', 'DTM+7:26112714:201'],
    ['a format it does not read', 'DTM+7:1127:106'],
  ])('refuses %s, naming the DTM', (_case, dtm) => {
    const result = timeAt(dtm, 'CNSHA');
    expect(result.eventTime).toBeUndefined();
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatch(/^DTM 7 ".*" is not a date\/time in format \d+ \(101, 102, 201-205 or 301-304 are read\)$/);
  });

  it('knows every zone its tables name', () => {
    for (const zone of KNOWN_TIME_ZONES) expect(() => new Intl.DateTimeFormat('en', { timeZone: zone }), zone).not.toThrow();
    expect(timeZoneOfLocation('CNSHA')).toBe('Asia/Shanghai');
    expect(timeZoneOfLocation('ESLPA')).toBe('Atlantic/Canary');
    expect(timeZoneOfLocation('AUXXX')).toBeUndefined();
  });
});

describe('parseDateTime', () => {
  it.each([
    ['20261127', '102', '2026-11-27T00:00:00Z'],
    ['202611270640', '203', '2026-11-27T06:40:00Z'],
    ['20261127064015', '204', '2026-11-27T06:40:15Z'],
    ['202611270140-0500', '205', '2026-11-27T06:40:00Z'],
    ['202611270640', '', '2026-11-27T06:40:00Z'],
    ['261127', '101', '2026-11-27T00:00:00Z'],
    ['2611270640', '201', '2026-11-27T06:40:00Z'],
    ['202611271440', '203', '2026-11-27T06:40:00Z', 'Asia/Shanghai'],
    ['202611270640UTC', '303', '2026-11-27T06:40:00Z', 'Asia/Shanghai'],
  ])('reads %s in format %s', (text, format, expected, timeZone?: string) => {
    expect(parseDateTime(text, format, timeZone)).toBe(expected);
  });

  it.each([['20260230', '102'], ['202611272460', '203'], ['2026112706', '203'], ['202611270640', '999']])('refuses %s in format %s', (text, format) => {
    expect(parseDateTime(text, format)).toBeUndefined();
  });
});

describe('interchangeToEvents: equipment and bills named by RFF', () => {
  // A forwarder's IFTSTA that names containers by RFF+EQ rather than EQD, as many multimodal senders do.
  function forwarderStatus(body: string[]): ReturnType<typeof interchangeToEvents> {
    return interchangeToEvents(parseInterchange(interchangeText('RF1', [{ reference: '1', type: 'IFTSTA:D:99B:UN', body: ['BGM+23+FW20261127+9', ...body] }])));
  }

  it('takes RFF+EQ in the status group as the container when no EQD names one, one event each', () => {
    const mapped = forwarderStatus([
      'CNI+1+MEDUDE123456', 'RFF+BM:MEDUDE123456',
      'STS+1+29::6', 'RFF+EQ:SEGU2468108', 'RFF+EQ:TRLU1357915', 'DTM+334:202612011415:203', 'LOC+175+NLRTM:139:6',
    ]);
    expect(mapped.problems).toEqual([]);
    expect(mapped.events.map((event) => [event.code, event.references])).toEqual([
      ['DISC', { container: 'SEGU2468108', billOfLading: 'MEDUDE123456' }],
      ['DISC', { container: 'TRLU1357915', billOfLading: 'MEDUDE123456' }],
    ]);
  });

  it('takes the consignment\'s RFF+EQ when the status group names no equipment, and an EQD over an RFF+EQ', () => {
    const mapped = forwarderStatus([
      'CNI+1+MEDUDE123456', 'RFF+BM:MEDUDE123456', 'RFF+EQ:CAIU2020203',
      'STS+1+364::6', 'DTM+7:202611261530:203', 'LOC+175+CNSHA:139:6',
      'STS+1+48::6', 'DTM+7:202611271530:203', 'LOC+175+CNSHA:139:6', 'EQD+CN+GESU4040407', 'RFF+EQ:CAIU2020203',
    ]);
    expect(mapped.problems).toEqual([]);
    expect(mapped.events.map((event) => [event.code, event.references.container])).toEqual([['GTIN', 'CAIU2020203'], ['LOAD', 'GESU4040407']]);
  });

  it('keeps the event of an RFF+EQ whose check digit is wrong, without the container, and says so', () => {
    const text = interchangeText('RF2', [{
      reference: '1',
      type: 'IFTSTA:D:99B:UN',
      body: ['BGM+23+FW2+9', 'CNI+1+MEDUDE123456', 'RFF+BM:MEDUDE123456', 'STS+1+29::6', 'RFF+EQ:SEGU2468100', 'DTM+334:202612011415:203', 'LOC+175+NLRTM:139:6'],
    }]);
    const interchange = parseInterchange(text);
    const mapped = interchangeToEvents(interchange);
    expect(mapped.events.map((event) => [event.code, event.references])).toEqual([['DISC', { billOfLading: 'MEDUDE123456' }]]);
    const rff = interchange.messages[0]?.segments.find((segment) => segment.tag === 'RFF' && segment.elements[0]?.[0] === 'EQ');
    expect(mapped.problems).toEqual([{
      segment: { index: rff?.index, tag: 'RFF' },
      position: rff?.position,
      message: 'RFF+EQ "SEGU2468100" is not an ISO 6346 container number with a valid check digit; the event is kept without it',
    }]);
  });

  it('takes a house bill (RFF+BH) when no master bill is given, and passes over a bill the events cannot carry', () => {
    const house = forwarderStatus(['CNI+1+HB778812', 'RFF+BH:HB778812', 'STS+1+AE', 'DTM+7:202611271430:203', 'LOC+175+CNSHA:139:6', 'EQD+CN+MSKU1234565']);
    expect(house.events.map((event) => event.references)).toEqual([{ container: 'MSKU1234565', billOfLading: 'HB778812' }]);
    const both = forwarderStatus(['CNI+1+X', 'RFF+BH:HB778812', 'RFF+BM:MEDUDE123456', 'STS+1+AE', 'DTM+7:202611271430:203', 'LOC+175+CNSHA:139:6', 'EQD+CN+MSKU1234565']);
    expect(both.events.map((event) => event.references.billOfLading)).toEqual(['MEDUDE123456']);
    const dashed = forwarderStatus(['CNI+1+X', 'RFF+BM:MEDU-DE 12', 'STS+1+AE', 'DTM+7:202611271430:203', 'LOC+175+CNSHA:139:6', 'EQD+CN+MSKU1234565']);
    expect(dashed.events.map((event) => event.references)).toEqual([{ container: 'MSKU1234565' }]);
    expect(dashed.problems.map((problem) => [problem.segment.tag, problem.message])).toEqual([
      ['RFF', 'RFF+BM "MEDU-DE 12" is not a bill of lading number as events take it (A-Z and 0-9, at most 35); the event is kept without it'],
    ]);
  });

  it('keeps the booking number (RFF+BN) on the event, and passes over one the events cannot carry', () => {
    const booked = forwarderStatus(['CNI+1+MEDUDE123456', 'RFF+BM:MEDUDE123456', 'RFF+BN:EBKG04412876', 'STS+1+AE', 'DTM+7:202611271430:203', 'LOC+175+CNSHA:139:6', 'EQD+CN+MSKU1234565']);
    expect(booked.events.map((event) => event.references)).toEqual([{ container: 'MSKU1234565', billOfLading: 'MEDUDE123456', bookingReference: 'EBKG04412876' }]);
    const spaced = forwarderStatus(['CNI+1+MEDUDE123456', 'RFF+BM:MEDUDE123456', 'RFF+BN:EBKG 0441', 'STS+1+AE', 'DTM+7:202611271430:203', 'LOC+175+CNSHA:139:6', 'EQD+CN+MSKU1234565']);
    expect(spaced.events.map((event) => event.references.bookingReference)).toEqual([undefined]);
    expect(spaced.problems.map((problem) => problem.segment.tag)).toEqual(['RFF']);
    // Two events differing only in their booking are two events.
    expect(booked.events[0]?.eventId).not.toBe(forwarderStatus(['CNI+1+MEDUDE123456', 'RFF+BM:MEDUDE123456', 'RFF+BN:EBKG04412877', 'STS+1+AE', 'DTM+7:202611271430:203', 'LOC+175+CNSHA:139:6', 'EQD+CN+MSKU1234565']).events[0]?.eventId);
  });

  it('does not take a place under another agency for a UN/LOCODE', () => {
    // ECTDD is ECT's own code for its Delta terminal (agency ZZZ), five letters like a UN/LOCODE.
    const mapped = forwarderStatus(['CNI+1+X', 'STS+1+AE', 'DTM+7:202611271430:203', 'LOC+175+ECTDD:ZZZ:ZZZ', 'LOC+175+NLRTM:139:6', 'EQD+CN+MSKU1234565']);
    expect(mapped.events.map((event) => event.location)).toEqual(['NLRTM']);
    const only = forwarderStatus(['CNI+1+X', 'STS+1+AE', 'DTM+7:202611271430:203', 'LOC+175+ECTDD:ZZZ:ZZZ', 'EQD+CN+MSKU1234565']);
    expect(only.events).toEqual([]);
    expect(only.problems.map((problem) => problem.message)).toEqual(['No LOC gives the event location as a UN/LOCODE']);
  });
});
