/**
 * EDIFACT vessels however they are named, over HTTP on both stores (issue 11): an IFTSTA whose ship is named
 * only by call sign and name keeps every event, with the call sign and name stored and shown on the event; its
 * zoneless times are Shanghai local time (UTC+8), and the event says that zone was assumed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKouan, type TestKouan } from './support/kouan.js';
import { storeKinds } from './support/stores.js';

/** A container terminal operator at Shanghai (a valid unified social credit code). */
const TERMINAL = '91310000MA1T3RM01E';
const kinds = await storeKinds();

/** An IFTSTA from a Shanghai terminal: two containers loaded at 14:30 local time on a ship named by call sign and name only. */
function loadedAtShanghai(controlRef: string): string {
  return [
    `UNB+UNOC:3+SIPGYS:ZZZ+KOUAN:ZZZ+261127:1000+${controlRef}`,
    'UNH+1+IFTSTA:D:99B:UN',
    `BGM+23+${controlRef}+9`,
    'CNI+1+MEDUDE123456',
    'STS+1+AE',
    'DTM+7:202611271430:203',
    'LOC+175+CNSHA:139:6',
    'TDT+20+012E+1++MSC:172:20+++9V2345:103::MSC ANNA',
    'EQD+CN+MSKU1234565',
    'EQD+CN+MSCU7654329',
    'UNT+10+1',
    `UNZ+1+${controlRef}`,
  ].map((line) => `${line}'\n`).join('');
}

describe.each(kinds)('EDIFACT vessels over HTTP on %s', (kind) => {
  let t: TestKouan;
  let terminal: string;

  beforeAll(async () => {
    t = await startTestKouan(kind);
    terminal = await t.enterprise(TERMINAL, ['terminal'], ['CNSHA']);
  });
  afterAll(async () => {
    await t.close();
  });

  it('stores every event of a ship named by call sign, with the call sign, the name, the voyage and the local time read in Asia/Shanghai', async () => {
    const posted = await t.kouan.app.inject({
      method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${terminal}`, 'content-type': 'application/EDIFACT' }, payload: loadedAtShanghai('VS0001'),
    });
    expect(posted.statusCode, posted.body).toBe(200);
    expect(posted.json()).toMatchObject({ stored: 2, rejected: 0 });
    for (const container of ['MSKU1234565', 'MSCU7654329']) {
      const timeline = await t.request('GET', `/api/v1/tracking?container=${container}`, { key: terminal });
      expect(timeline.statusCode).toBe(200);
      const events = timeline.json<{ events: { code: string; eventTime: string; timeZoneAssumed?: string; location?: string; references: Record<string, string> }[] }>().events;
      expect(events.map(({ code, eventTime, timeZoneAssumed, location, references }) => ({ code, eventTime, timeZoneAssumed, location, references }))).toEqual([
        { code: 'LOAD', eventTime: '2026-11-27T06:30:00.000Z', timeZoneAssumed: 'Asia/Shanghai', location: 'CNSHA', references: { container, vesselCallSign: '9V2345', vesselName: 'MSC ANNA', voyage: '012E' } },
      ]);
    }
  });

  it('takes the same references as JSON: a voyage with a call sign only is stored, a voyage without a ship or a bad call sign is refused by path', async () => {
    const event = (eventId: string, references: Record<string, string>) => ({
      eventId, eventType: 'EQUIPMENT', code: 'DISC', classifier: 'ACT', eventTime: '2026-11-27T06:30:00Z', location: 'CNSHA', references: { container: 'TGHU8812348', ...references },
    });
    const posted = await t.request('POST', '/api/v1/events', {
      key: terminal,
      body: { events: [
        event('json-call-sign', { vesselCallSign: '9V2345', voyage: '012E' }),
        event('json-no-ship', { voyage: '012E' }),
        event('json-bad-call-sign', { vesselCallSign: '9v 2345' }),
      ] },
    });
    expect(posted.statusCode, posted.body).toBe(200);
    const results = posted.json<{ results: { status: string; errors?: { path: string; code: string }[] }[] }>().results;
    expect(results.map((result) => [result.status, result.errors?.map((error) => [error.path, error.code])])).toEqual([
      ['stored', undefined],
      ['rejected', [['$.references.vesselImo', 'FIELD_REQUIRED']]],
      ['rejected', [['$.references.vesselCallSign', 'FIELD_FORMAT']]],
    ]);
    const timeline = await t.request('GET', '/api/v1/tracking?container=TGHU8812348', { key: terminal });
    expect(timeline.json<{ events: { eventId: string; references: Record<string, string> }[] }>().events.map(({ eventId, references }) => [eventId, references])).toEqual([
      ['json-call-sign', { container: 'TGHU8812348', vesselCallSign: '9V2345', voyage: '012E' }],
    ]);
  });
});
