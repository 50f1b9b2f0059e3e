import { describe, expect, it } from 'vitest';
import { interchangeText } from './samples.fixture.js';
import { statusEventOf } from './status-codes.js';
import { parseInterchange } from './tokenizer.js';
import { interchangeToEvents } from './tracking.js';

/** An IFTSTA of a forwarder at Rotterdam reporting one container by an STS of the given C555. */
function statusReport(c555: string): ReturnType<typeof interchangeToEvents> {
  return interchangeToEvents(parseInterchange(interchangeText('R24', [{
    reference: '1',
    type: 'IFTSTA:D:00B:UN',
    body: [
      'BGM+23+STR24+9',
      'CNI+1+MEDUDE123456',
      'RFF+BM:MEDUDE123456',
      `STS+1+${c555}`,
      'DTM+334:202612011415:203',
      'LOC+175+NLRTM:139:6+ECTDDE:TER:ZZZ:ECT Delta',
      'EQD+CN+SEGU2468108',
    ],
  }])));
}

describe('UN/ECE Recommendation 24 status codes in STS', () => {
  it.each([
    ['1', 'Arrival, completed', 'TRANSPORT', 'ARRI'],
    ['40', 'Arrival, at port', 'TRANSPORT', 'ARRI'],
    ['24', 'Departure, completed', 'TRANSPORT', 'DEPA'],
    ['127', 'Departed, completed on a means of transport', 'TRANSPORT', 'DEPA'],
    ['48', 'Loading, completed onto a means of transport', 'EQUIPMENT', 'LOAD'],
    ['92', 'Stowed', 'EQUIPMENT', 'LOAD'],
    ['118', 'Stowed on deck', 'EQUIPMENT', 'LOAD'],
    ['121', 'Stowed under deck', 'EQUIPMENT', 'LOAD'],
    ['29', 'Unloaded', 'EQUIPMENT', 'DISC'],
    ['346', 'Unloading, completed from a means of transport', 'EQUIPMENT', 'DISC'],
    ['364', 'Arrival, at yard', 'EQUIPMENT', 'GTIN'],
    ['365', 'Departure, from yard', 'EQUIPMENT', 'GTOT'],
    ['93', 'Stuffed', 'EQUIPMENT', 'STUF'],
    ['94', 'Stuffed and sealed', 'EQUIPMENT', 'STUF'],
    ['28', 'Stripped', 'EQUIPMENT', 'STRP'],
    ['97', 'Damage surveyed', 'EQUIPMENT', 'INSP'],
    ['12', 'Cleared, by customs', 'CLEARANCE', 'RELS'],
    ['17', 'Customs clearance, refused', 'CLEARANCE', 'REJE'],
    ['228', 'Inspection required by authority', 'CLEARANCE', 'INSP'],
    ['116', 'Export inhibited', 'CLEARANCE', 'HOLD'],
    ['229', 'Export suspended', 'CLEARANCE', 'HOLD'],
    ['232', 'Import suspended', 'CLEARANCE', 'HOLD'],
    ['6', 'Booking, completed', 'SHIPMENT', 'CONF'],
    ['359', 'Bill of Lading issued', 'SHIPMENT', 'ISSU'],
  ])('maps Rec 24 code %s (%s) to %s %s', (code, name, eventType, eventCode) => {
    for (const c555 of [code, `${code}::6:${name}`, `${code}:24:6`]) {
      const mapped = statusReport(c555);
      expect(mapped.problems, c555).toEqual([]);
      expect(mapped.events.map((event) => [event.eventType, event.code, event.references.container]), c555).toEqual([[eventType, eventCode, 'SEGU2468108']]);
    }
  });

  it('reads a zero-padded Rec 24 code as its number', () => {
    expect(statusReport('029::6').events.map((event) => event.code)).toEqual(['DISC']);
  });

  it('reports a Rec 24 code that is no tracked milestone with its code', () => {
    const delayed = statusReport('20::6:Delayed, in the course of transportation');
    expect(delayed.events).toEqual([]);
    expect(delayed.problems.map((problem) => [problem.segment.tag, problem.message])).toEqual([['STS', 'UN/ECE Recommendation 24 status code "20" is not mapped to a tracking event']]);
  });

  it('does not read a numeric code of another agency as Rec 24: ZZZ (the carrier\'s own) or another list', () => {
    // A carrier's own code 1 ("gate in" in its list) is not Rec 24's "Arrival, completed".
    const own = statusReport('1::ZZZ:Gate in');
    expect(own.events).toEqual([]);
    expect(own.problems.map((problem) => problem.message)).toEqual(['Status code "1" is from the code list of agency ZZZ (mutually defined), not UN/ECE Recommendation 24, and is not mapped']);
    expect(statusReport('29::306').problems.map((problem) => problem.message)).toEqual(['Status code "29" is from the code list of agency 306, not UN/ECE Recommendation 24, and is not mapped']);
  });

  it('takes the mutually defined two-letter codes under ZZZ or no agency, but not as Rec 24 (agency 6) or another agency\'s', () => {
    expect(statusReport('UV::ZZZ:Unloaded from vessel').events.map((event) => event.code)).toEqual(['DISC']);
    expect(statusReport('UV').events.map((event) => event.code)).toEqual(['DISC']);
    expect(statusReport('UV::6').problems.map((problem) => problem.message)).toEqual(['Status code "UV" is not a UN/ECE Recommendation 24 code (agency 6), whose codes are numeric']);
    expect(statusReport('UV::182').problems.map((problem) => problem.message)).toEqual(['Status code "UV" is from the code list of agency 182, which Kouan does not map']);
  });

  it('reports an STS without a status code', () => {
    expect(statusEventOf('', '')).toEqual({ reason: 'STS gives no status code' });
    expect(statusReport('::6').problems.map((problem) => problem.message)).toEqual(['STS gives no status code']);
  });
});
