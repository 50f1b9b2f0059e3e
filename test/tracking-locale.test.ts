/**
 * People's language and time through the API, on both stores: current.text and the reasons Kouan writes itself are
 * worded in Chinese or English by Accept-Language, with times in the platform's time zone (KOUAN_TIME_ZONE) and its
 * offset, while what is stored stays UTC and language-neutral; GET /api/v1/platform says which zone that is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROKER, EXPORTER, importDeclaration } from './support/fixtures.js';
import { cast, startTestKouan, type Cast, type TestKouan } from './support/kouan.js';
import { storeKinds } from './support/stores.js';

const kinds = await storeKinds();
const CONTAINER = 'MSKU1234565';
const BL = 'MEDULOC00001';

/** The offset of a zone now, as an independent oracle (Intl's longOffset name: "GMT+08:00", "GMT" for UTC). */
function offsetNow(timeZone: string): string {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(new Date()).find((part) => part.type === 'timeZoneName')?.value ?? '';
  return name === 'GMT' ? '+00:00' : name.replace('GMT', '');
}

describe.each(kinds)('language and time on %s', (kind) => {
  const zones = [
    { env: {}, timeZone: 'Asia/Shanghai', en: 'discharged at CNSHA 08:40 UTC+8', zh: '已于 08:40 (UTC+8) 在 CNSHA 卸船' },
    { env: { KOUAN_TIME_ZONE: 'America/New_York' }, timeZone: 'America/New_York', en: 'discharged at CNSHA 19:40 UTC-5', zh: '已于 19:40 (UTC-5) 在 CNSHA 卸船' },
  ];
  describe.each(zones)('in $timeZone', (zone) => {
    let t: TestKouan;
    let keys: Cast;
    let carrier: string;

    beforeAll(async () => {
      t = await startTestKouan(kind, zone.env);
      keys = await cast(t);
      carrier = await t.enterprise(EXPORTER, ['carrier']);
      const events = [
        // 15:50 UTC on the 27th is 23:50 in Shanghai the same day, 10:50 in New York.
        { eventId: 'loc-gtin', eventType: 'EQUIPMENT', code: 'GTIN', classifier: 'ACT', eventTime: '2026-11-27T15:50:00Z', location: 'CNSHA', references: { container: CONTAINER, billOfLading: BL } },
        // 00:40 UTC on the 28th: 08:40 on the 28th in Shanghai, 19:40 on the 27th in New York.
        { eventId: 'loc-disc', eventType: 'EQUIPMENT', code: 'DISC', classifier: 'ACT', eventTime: '2026-11-28T00:40:00Z', location: 'CNSHA', references: { container: CONTAINER, billOfLading: BL } },
      ];
      expect((await t.request('POST', '/api/v1/events', { key: carrier, body: { events } })).json<{ stored: number }>().stored).toBe(2);
    });
    afterAll(async () => {
      await t.close();
    });

    it('answers GET /api/v1/platform without a key', async () => {
      const response = await t.request('GET', '/api/v1/platform');
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ country: 'CN', timeZone: zone.timeZone, utcOffset: offsetNow(zone.timeZone), languages: ['zh', 'en'] });
    });

    it('words current.text by Accept-Language with times in the platform zone, and keeps the stored state UTC and text-free', async () => {
      const read = async (language?: string) => {
        const response = await t.request('GET', `/api/v1/tracking?container=${CONTAINER}`, { key: carrier, headers: language === undefined ? {} : { 'accept-language': language } });
        expect(response.statusCode).toBe(200);
        return response.json<{ current: { text: string; actual: Record<string, { eventTime: string }> } }>().current;
      };
      const english = await read();
      const chinese = await read('zh-CN,zh;q=0.9,en;q=0.8');
      expect(english.text).toBe(zone.en);
      expect(chinese.text).toBe(zone.zh);
      expect(await read('en-GB;q=0.9, zh;q=0.4')).toEqual(english);
      // Times in the API stay UTC, whatever zone people read them in.
      expect(chinese.actual.DISC?.eventTime).toBe('2026-11-28T00:40:00.000Z');
      for (const row of await t.kouan.services.tracking.projection()) expect(JSON.parse(row.summary)).not.toHaveProperty('text');
    });

    it('words the reasons Kouan writes itself in the caller language', async () => {
      const transport = { mode: 'sea', vesselImo: '9321483', voyage: '012E', billOfLading: BL, containers: [CONTAINER] };
      const created = await t.request('POST', '/api/v1/submissions', { key: keys.broker, body: { docType: 'goods-declaration', data: importDeclaration({ transport }) } });
      expect(created.statusCode).toBe(201);
      const id = created.json<{ id: string }>().id;
      expect((await t.request('POST', `/api/v1/submissions/${id}/cancel`, { key: keys.broker })).statusCode).toBe(200);
      type View = { parts: { reasons: { code?: string; message: string }[] }[]; history: { reasons: { code?: string; message: string }[] }[] };
      const view = async (language: string) => (await t.request('GET', `/api/v1/submissions/${id}`, { key: keys.broker, headers: { 'accept-language': language } })).json<View>();
      const zh = await view('zh');
      const en = await view('en');
      expect(zh.parts[0]?.reasons).toEqual([{ code: 'CANCELLED_BY_DECLARANT', message: `已由申报人 ${BROKER} 撤销` }]);
      expect(en.parts[0]?.reasons).toEqual([{ code: 'CANCELLED_BY_DECLARANT', message: `Cancelled by ${BROKER}` }]);
      expect(zh.history.flatMap((entry) => entry.reasons).map((reason) => reason.message)).toContain(`已由申报人 ${BROKER} 撤销`);
    });
  });
});
