/**
 * EDIFACT message functions over HTTP on both stores (issue 11): a terminal's COARRI discharge report, its duplicate,
 * its replacement (BGM 1225 = 5) and its cancellation (1225 = 1), each repeating the original's segments. The
 * duplicate is a no-op; the replacement and the cancellation are stored, never taken for duplicates of the original,
 * and every event in the log names its document and function. What a replacement or cancellation then does to the
 * timeline is the tracking module's (docs/tracking.md); this file asserts what the mapping guarantees.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKouan, type TestKouan } from './support/kouan.js';
import { storeKinds } from './support/stores.js';

/** A container terminal operator at Shanghai (a valid unified social credit code). */
const TERMINAL = '91310000MA1T3RM01E';
const kinds = await storeKinds();

/** Yangshan's discharge report of MSC ANNA 012E for two containers, as an SMDG 2.x terminal system writes it. */
function dischargeReport(controlRef: string, documentNumber: string, messageFunction: string): string {
  return [
    `UNB+UNOA:2+SIPGYS:ZZZ+MSCCN:ZZZ+261127:0715+${controlRef}`,
    'UNH+1+COARRI:D:00B:UN:SMDG20',
    `BGM+98+${documentNumber}+${messageFunction}`,
    'DTM+137:202611270715:203',
    'TDT+20+012E+1++MSC:172:20+++9321483:146::MSC ANNA',
    'LOC+11+CNSHA:139:6+YS4:TER:ZZZ:Yangshan Phase IV',
    'NAD+CF+MSC:160:20',
    'EQD+CN+HLXU4001239+22G1:102:5++3+5',
    'RFF+BM:HLCUHAM000001',
    'LOC+9+DEHAM:139:6',
    'DTM+203:202611270640:203',
    'EQD+CN+CSNU6100028+45G1:102:5++3+5',
    'LOC+9+NLRTM:139:6',
    'DTM+203:202611270655:203',
    'CNT+16:2',
    'UNT+15+1',
    `UNZ+1+${controlRef}`,
  ].map((line) => `${line}'\r\n`).join('');
}

interface Ingested {
  stored: number;
  duplicates: number;
  rejected: number;
  results: { eventId: string | null; status: string }[];
  unmapped: { tag: string; code: string; message: string }[];
}

describe.each(kinds)('EDIFACT message functions over HTTP on %s', (kind) => {
  let t: TestKouan;
  let terminal: string;

  beforeAll(async () => {
    t = await startTestKouan(kind);
    terminal = await t.enterprise(TERMINAL, ['terminal'], ['CNSHA']);
  });
  afterAll(async () => {
    await t.close();
  });

  const post = async (payload: string): Promise<Ingested> => {
    const response = await t.kouan.app.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${terminal}`, 'content-type': 'application/EDIFACT' }, payload });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Ingested>();
  };
  const logged = async (): Promise<{ eventId: string; container: string; document: unknown }[]> => {
    const rows = await t.kouan.services.store.db.selectFrom('tracking_events').select(['event_id', 'container', 'payload']).where('publisher', '=', TERMINAL).orderBy('seq').execute();
    return rows.map((row) => ({ eventId: row.event_id, container: row.container ?? '', document: (JSON.parse(row.payload) as { document?: unknown }).document }));
  };

  it('stores a replacement and a cancellation that repeat the original, each with its document, and a duplicate or a re-sent message once', async () => {
    const original = await post(dischargeReport('CA1001', 'DIS012E', '9'));
    expect(original).toMatchObject({ stored: 2, duplicates: 0, rejected: 0, unmapped: [] });

    // A duplicate (7) in a new interchange: the same events.
    const duplicate = await post(dischargeReport('CA1002', 'DIS012E', '7'));
    expect(duplicate).toMatchObject({ stored: 0, duplicates: 2, rejected: 0 });
    expect(duplicate.results.map((result) => result.eventId)).toEqual(original.results.map((result) => result.eventId));

    const replacement = await post(dischargeReport('CA1003', 'DIS012E', '5'));
    expect(replacement).toMatchObject({ stored: 2, duplicates: 0, rejected: 0, unmapped: [] });
    // The same replacement interchange again is a no-op.
    expect(await post(dischargeReport('CA1003', 'DIS012E', '5'))).toMatchObject({ stored: 0, duplicates: 2 });

    const cancellation = await post(dischargeReport('CA1004', 'DIS012E', '1'));
    expect(cancellation).toMatchObject({ stored: 2, duplicates: 0, rejected: 0, unmapped: [] });

    const ids = [original, replacement, cancellation].flatMap((answer) => answer.results.map((result) => result.eventId));
    expect(new Set(ids).size).toBe(6);
    expect((await logged()).map(({ container, document }) => [container, document])).toEqual([
      ['HLXU4001239', { id: 'DIS012E', function: 'original' }],
      ['CSNU6100028', { id: 'DIS012E', function: 'original' }],
      ['HLXU4001239', { id: 'DIS012E', function: 'replacement' }],
      ['CSNU6100028', { id: 'DIS012E', function: 'replacement' }],
      ['HLXU4001239', { id: 'DIS012E', function: 'cancellation' }],
      ['CSNU6100028', { id: 'DIS012E', function: 'cancellation' }],
    ]);
  });

  it('lists a function it does not map in unmapped and keeps the events; stores nothing of a test message', async () => {
    const before = (await logged()).length;
    const status = await post(dischargeReport('CA2001', 'DIS013E', '8'));
    expect(status).toMatchObject({ stored: 2, rejected: 0 });
    expect(status.unmapped.map(({ tag, code, message }) => [tag, code, message])).toEqual([
      ['BGM', 'EDIFACT_EVENT_UNMAPPED', 'BGM message function 8 is not one Kouan maps (docs/tracking.md); the events are kept as an original'],
    ]);
    const test = await post(dischargeReport('CA2002', 'DIS014E', '53'));
    expect(test).toMatchObject({ stored: 0, duplicates: 0, rejected: 0 });
    expect(test.unmapped.map(({ tag, message }) => [tag, message])).toEqual([['BGM', 'BGM message function 53 (test): the message is a test and its events are not stored']]);
    expect((await logged()).slice(before).map(({ document }) => document)).toEqual([
      { id: 'DIS013E', function: 'original' },
      { id: 'DIS013E', function: 'original' },
    ]);
  });
});
