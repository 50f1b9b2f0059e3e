/**
 * EDIFACT bytes over HTTP on both stores (issue 11): the body reaches the parser as bytes and is decoded by the
 * UNB syntax identifier, a Content-Type charset must agree with it, a byte order mark is taken, and a refusal
 * changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKouan, type TestKouan } from './support/kouan.js';
import { prng } from './support/prng.js';
import { storeKinds } from './support/stores.js';

/** A container terminal operator at Gothenburg (a valid unified social credit code). */
const TERMINAL = '91310000MA1T3RM01E';
const kinds = await storeKinds();

/** A CODECO gate-in at Skandiahamnen, Göteborg, for one container. */
function gateIn(identifier: string, container: string, controlRef: string): string {
  return [
    `UNB+${identifier}:3+APMTGOT:ZZZ+KOUAN:ZZZ+261127:0700+${controlRef}`,
    'UNH+1+CODECO:D:95B:UN:ITG13',
    `BGM+34+${controlRef}+9`,
    'LOC+165+SEGOT:139:6+SKA:TER:ZZZ:Skandiahamnen Göteborg',
    `EQD+CN+${container}+45G1:102:5++2+5`,
    'DTM+7:202611270640:203',
    'UNT+6+1',
    `UNZ+1+${controlRef}`,
  ].map((line) => `${line}'\r\n`).join('');
}

describe.each(kinds)('EDIFACT character sets over HTTP on %s', (kind) => {
  let t: TestKouan;
  let terminal: string;

  beforeAll(async () => {
    t = await startTestKouan(kind);
    terminal = await t.enterprise(TERMINAL, ['terminal'], ['SEGOT']);
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (payload: Buffer, contentType: string) =>
    t.kouan.app.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${terminal}`, 'content-type': contentType }, payload });
  const facilities = async (container: string) => {
    const response = await t.request('GET', `/api/v1/tracking?container=${container}`, { key: terminal });
    expect(response.statusCode).toBe(200);
    return response.json<{ events: { facility?: string }[] }>().events.map((event) => event.facility);
  };

  it('stores "Göteborg" from a Latin-1 (UNOC) interchange, with and without charset=ISO-8859-1', async () => {
    const plain = await post(Buffer.from(gateIn('UNOC', 'MSKU1234565', 'L1A'), 'latin1'), 'application/EDIFACT');
    expect(plain.statusCode, plain.body).toBe(200);
    expect(plain.json()).toMatchObject({ stored: 1, rejected: 0 });
    expect(await facilities('MSKU1234565')).toEqual(['Skandiahamnen Göteborg']);

    const declared = await post(Buffer.from(gateIn('UNOC', 'MSCU7654329', 'L1B'), 'latin1'), 'application/EDIFACT; charset=ISO-8859-1');
    expect(declared.statusCode, declared.body).toBe(200);
    expect(await facilities('MSCU7654329')).toEqual(['Skandiahamnen Göteborg']);
  });

  it('takes a UTF-8 (UNOW) interchange after a byte order mark, on application/edifact too', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`UNA:+.? '${gateIn('UNOW', 'CMAU3000014', 'U8A')}`, 'utf8')]);
    const response = await post(bytes, 'application/edifact;charset="utf-8"');
    expect(response.statusCode, response.body).toBe(200);
    expect(await facilities('CMAU3000014')).toEqual(['Skandiahamnen Göteborg']);
  });

  it('refuses, storing nothing, Latin-1 bytes declared UNOW, and a charset that contradicts UNOC', async () => {
    const latin1UnderUnow = await post(Buffer.from(gateIn('UNOW', 'TGHU8812348', 'BAD1'), 'latin1'), 'application/EDIFACT');
    expect(latin1UnderUnow.statusCode).toBe(400);
    expect(latin1UnderUnow.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(latin1UnderUnow.json()).toMatchObject({ code: 'EDIFACT_SYNTAX', segment: null });

    const contradiction = await post(Buffer.from(gateIn('UNOC', 'TGHU8812348', 'BAD2'), 'latin1'), 'application/EDIFACT; charset=utf-8');
    expect(contradiction.statusCode).toBe(400);
    expect(contradiction.json()).toMatchObject({ code: 'EDIFACT_CHARSET' });

    const ascii = await post(Buffer.from(gateIn('UNOA', 'TGHU8812348', 'BAD3'), 'latin1'), 'application/EDIFACT');
    expect(ascii.statusCode).toBe(400);
    expect(ascii.json<{ detail: string }>()).toMatchObject({ code: 'EDIFACT_SYNTAX' });

    const none = await t.request('GET', '/api/v1/tracking?container=TGHU8812348', { key: terminal });
    expect(none.statusCode === 404 || none.json<{ events: unknown[] }>().events.length === 0).toBe(true);
  });

  it('answers 300 seeded byte mutations, with and without a charset, never with a 500, refusals as problem+json', async () => {
    const random = prng(11);
    const original = Buffer.from(gateIn('UNOC', 'OOLU5550012', 'MUT'), 'latin1');
    const bytes = [0x27, 0x2b, 0x3a, 0x3f, 0x0a, 0x00, 0x80, 0xc3, 0xb6, 0xef, 0xbb, 0xbf, 0xf6, 0xff, 0x55, 0x4e, 0x47];
    const charsets = ['', '; charset=ISO-8859-1', '; charset=utf-8', '; charset="x-unknown"', '; charset='];
    for (let round = 0; round < 300; round += 1) {
      const mutated = Buffer.from(original);
      const at = Math.floor(random() * mutated.length);
      mutated[at] = bytes[Math.floor(random() * bytes.length)] ?? 0;
      const response = await post(mutated, `application/EDIFACT${charsets[round % charsets.length] ?? ''}`);
      expect(response.statusCode, `round ${round}: ${response.body}`).toBeLessThan(500);
      if (response.statusCode >= 400) expect(response.headers['content-type'], `round ${round}`).toMatch(/^application\/problem\+json/);
    }
  });
});
