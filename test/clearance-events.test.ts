/** The submissions pipeline writes CLEARANCE events into the status database by itself, on both stores. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../src/modules/parties/index.js';
import { BROKER, IMPORTER, importDeclaration } from './support/fixtures.js';
import { startTestKouan, type TestKouan } from './support/kouan.js';
import { storeKinds } from './support/stores.js';

const kinds = await storeKinds();
const brokerPrincipal: Principal = { partyId: BROKER, tenant: 'central', kind: 'enterprise', roles: ['declarant', 'broker'], keyId: 'test' };

describe.each(kinds)('clearance events on %s', (kind) => {
  let t: TestKouan;
  let broker: string;
  let cus: string;
  beforeAll(async () => {
    t = await startTestKouan(kind);
    await t.enterprise(IMPORTER);
    broker = await t.enterprise(BROKER, ['declarant', 'broker']);
    await t.delegate(IMPORTER, BROKER);
    cus = await t.agency('CUS');
  });
  afterAll(async () => {
    await t.close();
  });

  const count = async () => Number((await t.kouan.services.store.db.selectFrom('tracking_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('records receipt and every decision, per container, with the transport references', async () => {
    const transport = { mode: 'sea', vesselImo: '9321483', voyage: '012E', billOfLading: 'MEDUCLR00001', containers: ['MSKU1234565', 'CSQU3054383'] };
    const id = (await t.request('POST', '/api/v1/submissions', { key: broker, body: { docType: 'goods-declaration', data: importDeclaration({ transport }) } })).json<{ id: string }>().id;
    await t.request('POST', `/api/v1/submissions/${id}/decisions`, { key: cus, body: { outcome: 'accepted' } });
    await t.request('POST', `/api/v1/submissions/${id}/decisions`, { key: cus, body: { outcome: 'released' } });

    const bySubmission = await t.kouan.services.tracking.timeline(brokerPrincipal, { submission: id });
    expect(bySubmission.events.map((event) => `${event.code}:${event.agency ?? '-'}:${event.references.container ?? '-'}`)).toEqual([
      'RECE:-:MSKU1234565',
      'RECE:-:CSQU3054383',
      'ACCE:CUS:MSKU1234565',
      'ACCE:CUS:CSQU3054383',
      'RELS:CUS:MSKU1234565',
      'RELS:CUS:CSQU3054383',
    ]);
    for (const event of bySubmission.events) expect(event.references).toMatchObject({ billOfLading: 'MEDUCLR00001', vesselImo: '9321483', voyage: '012E', submission: id });

    const byContainer = await t.kouan.services.tracking.timeline(brokerPrincipal, { container: 'CSQU3054383' });
    expect(byContainer.events.map((event) => event.code)).toEqual(['RECE', 'ACCE', 'RELS']);
    expect(byContainer.events.every((event) => event.eventType === 'CLEARANCE' && event.classifier === 'ACT')).toBe(true);
  });

  it('a refused request or an impossible decision adds no event', async () => {
    const before = await count();
    await t.request('POST', '/api/v1/submissions', { key: broker, body: { docType: 'goods-declaration', data: importDeclaration({ currency: 'EUX' }) } });
    const id = (await t.request('POST', '/api/v1/submissions', { key: broker, body: { docType: 'goods-declaration', data: importDeclaration() } })).json<{ id: string }>().id;
    const afterSubmit = await count();
    expect(afterSubmit).toBe(before + 1);
    expect((await t.request('POST', `/api/v1/submissions/${id}/decisions`, { key: cus, body: { outcome: 'released' } })).statusCode).toBe(409);
    expect(await count()).toBe(afterSubmit);
  });
});
